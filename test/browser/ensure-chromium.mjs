// Run before `npm test` (its `pretest`): the browser tests drive a real Chromium, which a fresh
// machine does not have. Uses the one there is (CHROMIUM_PATH, or a Chromium or Chrome on the
// usual paths); on Debian or Ubuntu as root, installs Debian's `chromium` with apt; otherwise says
// in one line what to install and fails — the browser tests are never skipped silently.
import { spawnSync } from 'node:child_process'
import { findChromium } from './find-chromium.mjs'

if (process.env.CHROMIUM_PATH && !findChromium()) {
  console.error(`CHROMIUM_PATH is ${process.env.CHROMIUM_PATH}, which is not an executable: point it at a Chromium or Chrome, or unset it.`)
  process.exit(1)
}
if (findChromium()) process.exit(0)

const root = typeof process.getuid === 'function' && process.getuid() === 0
const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0
if (root && apt) {
  console.log("The browser tests need Chromium: installing Debian's `chromium` with apt-get (once)…")
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env })
  const install = update.status === 0 && spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: ['ignore', 'ignore', 'inherit'], env })
  const now = findChromium()
  if (install && install.status === 0 && now) {
    console.log(`Chromium installed at ${now}.`)
    process.exit(0)
  }
  console.error('Installing Chromium with apt-get failed (see above); install it by hand, or set CHROMIUM_PATH to a Chromium or Chrome.')
  process.exit(1)
}
console.error(
  `The browser tests need Chromium and none was found: install it (${apt ? 'sudo apt-get install chromium' : "your system's chromium package"}) or set CHROMIUM_PATH to a Chromium or Chrome, then run the tests again.`,
)
process.exit(1)
