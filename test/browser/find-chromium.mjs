// Where a Chromium or Chrome is on this machine: CHROMIUM_PATH, else the usual install paths and
// names on PATH. Shared by the browser tests' launch options and test/browser/ensure-chromium.mjs.
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'

const KNOWN = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium']
const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome']

function executable(path) {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** The path of a Chromium to drive, or undefined when there is none. */
export function findChromium(env = process.env) {
  if (env.CHROMIUM_PATH) return executable(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : undefined
  const found = KNOWN.find(executable)
  if (found) return found
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of NAMES) if (executable(join(dir, name))) return join(dir, name)
  }
  return undefined
}
