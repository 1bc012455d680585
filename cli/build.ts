/**
 * `stepflare build`: validate, generate, bundle with `wrangler deploy --dry-run`, print the size.
 * @module
 */
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { CliError } from './errors'
import { prepare } from './prepare'
import { color } from './print'
import { runWrangler } from './wrangler-process'

export interface BuildResult {
  outDir: string
  bytes: number
  gzipBytes: number
  configPath: string
}

export async function build(opts: { root: string; env?: string; outDir?: string }): Promise<BuildResult> {
  const root = resolve(opts.root)
  const { generated } = await prepare(root)
  const outDir = resolve(root, opts.outDir ?? '.stepflare/dist')
  const args = ['deploy', '--dry-run', '--outdir', outDir, '--config', generated.configPath, ...(opts.env ? ['--env', opts.env] : [])]
  const r = await runWrangler(root, args)
  if (r.code !== 0) {
    process.stderr.write(r.stdout + r.stderr)
    throw new CliError('wrangler could not bundle the Worker', { hint: 'See the bundler errors above; they name the file and line.' })
  }
  const code = await readFile(join(outDir, 'entry.js'))
  return { outDir, bytes: code.length, gzipBytes: gzipSync(code).length, configPath: generated.configPath }
}

export function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`
}

export function printBuild(r: BuildResult): void {
  console.log(`${color.green('Built')} ${r.outDir}/entry.js  ${formatSize(r.bytes)} (${formatSize(r.gzipBytes)} gzipped)`)
  console.log(`Configuration: ${r.configPath}`)
}
