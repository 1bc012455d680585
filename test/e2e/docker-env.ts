/**
 * A Docker engine and an offline Python base image for the container tests. No registry is
 * reachable here, so the base image is made from Debian's packages: `debootstrap --variant=minbase
 * --include=python3 bookworm` into a folder, imported with `docker import` (about a minute, once).
 * `dockerd` is started when the `docker.io` package is installed and nothing answers; `.ci/run`
 * installs the packages. Returns why it could not, so a skipped test can say so.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, openSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const BASE_IMAGE = 'stepflare-python-base:offline'

const ok = (cmd: string, args: string[], timeout = 10_000) => spawnSync(cmd, args, { stdio: 'ignore', timeout }).status === 0
const which = (cmd: string) => ok('sh', ['-c', `command -v ${cmd}`])

async function ensureEngine(): Promise<string | undefined> {
  if (ok('docker', ['info'])) return undefined
  if (!which('dockerd')) return 'no Docker engine (install the docker.io package)'
  if (process.getuid?.() !== 0) return 'no Docker engine answers, and starting dockerd needs root'
  const log = openSync(join(tmpdir(), 'stepflare-dockerd.log'), 'a')
  spawn('dockerd', [], { detached: true, stdio: ['ignore', log, log] }).unref()
  for (let i = 0; i < 60; i++) {
    if (ok('docker', ['info'])) return undefined
    await new Promise((r) => setTimeout(r, 500))
  }
  return `dockerd did not start (see ${join(tmpdir(), 'stepflare-dockerd.log')})`
}

function ensureBaseImage(): string | undefined {
  if (ok('docker', ['image', 'inspect', BASE_IMAGE])) return undefined
  if (!which('debootstrap')) return 'no offline Python base image, and no debootstrap to make one (install the debootstrap package)'
  const dir = mkdtempSync(join(tmpdir(), 'stepflare-pybase-'))
  try {
    if (!ok('debootstrap', ['--variant=minbase', '--include=python3', 'bookworm', dir], 600_000)) return 'debootstrap of the Python base image failed'
    if (!ok('sh', ['-c', `tar -C ${dir} -c . | docker import - ${BASE_IMAGE}`], 300_000)) return 'docker import of the Python base image failed'
    return undefined
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Undefined when the engine and the base image are ready; otherwise why not. */
export async function dockerForTests(): Promise<string | undefined> {
  return (await ensureEngine()) ?? ensureBaseImage()
}
