/**
 * Finds and runs wrangler: the project's own (it is a peer dependency), else the one installed
 * with stepflare.
 * @module
 */
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { PACKAGE_ROOT } from './bundle-modules'
import { CliError } from './errors'

export function wranglerBin(root: string): string {
  // Another wrangler to run instead (a script run with node), e.g. the tests' stand-in for the Cloudflare API.
  if (process.env.STEPFLARE_WRANGLER) return process.env.STEPFLARE_WRANGLER
  for (const from of [join(root, 'package.json'), join(PACKAGE_ROOT, 'package.json')]) {
    try {
      const req = createRequire(from)
      const pkg = req.resolve('wrangler/package.json')
      return join(pkg, '..', 'bin', 'wrangler.js')
    } catch {
      // try the next place
    }
  }
  throw new CliError('wrangler is not installed', { hint: 'Run `npm install --save-dev wrangler@4.86.0` in your project.' })
}

/** Gathers wrangler's output writes (see gather-writes.mjs); for a wrangler whose output is piped to us. */
export const GATHER_OUTPUT = ['--import', pathToFileURL(join(PACKAGE_ROOT, 'cli', 'wrangler-preload.mjs')).href]

export function spawnWrangler(root: string, args: string[], options: SpawnOptions & { nodeArgs?: string[] } = {}): ChildProcess {
  const { nodeArgs = [], ...spawnOptions } = options
  return spawn(process.execPath, [...nodeArgs, wranglerBin(root), ...args], {
    cwd: root,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', WRANGLER_LOG_SANITIZE: 'false' },
    ...spawnOptions,
  })
}

export function runWrangler(root: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnWrangler(root, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout?.on('data', (d) => {
      stdout += d
    })
    child.stderr?.on('data', (d) => {
      stderr += d
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }))
  })
}
