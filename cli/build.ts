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
import { writePythonDeployConfig } from './python/deploy-config'
import { runWrangler } from './wrangler-process'

export interface BuildResult {
  outDir: string
  bytes: number
  gzipBytes: number
  configPath: string
  /** Set when the project has Python steps: the container build context and the image verified. */
  python?: { dockerfile: string; image: string }
}

export async function build(opts: { root: string; env?: string; outDir?: string }): Promise<BuildResult> {
  const root = resolve(opts.root)
  const { project, generated } = await prepare(root)
  const outDir = resolve(root, opts.outDir ?? '.stepflare/dist')
  let configPath = generated.configPath
  let python: BuildResult['python']
  if (project.steps.some((s) => s.python)) {
    // Without Docker the dry run cannot build the Dockerfile: it verifies against an image reference.
    const verifyImage = project.config.python?.image ?? `registry.cloudflare.com/stepflare/${generated.wrangler.name}-python:latest`
    const deploy = await writePythonDeployConfig(project, generated.wrangler, { image: verifyImage })
    configPath = deploy.configPath
    python = { dockerfile: deploy.dockerfile, image: deploy.image }
  }
  const args = ['deploy', '--dry-run', '--outdir', outDir, '--config', configPath, ...(opts.env ? ['--env', opts.env] : [])]
  const r = await runWrangler(root, args)
  if (r.code !== 0) {
    process.stderr.write(r.stdout + r.stderr)
    throw new CliError('wrangler could not bundle the Worker', { hint: 'See the bundler errors above; they name the file and line.' })
  }
  const code = await readFile(join(outDir, 'entry.js'))
  return { outDir, bytes: code.length, gzipBytes: gzipSync(code).length, configPath, ...(python ? { python } : {}) }
}

export function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`
}

export function printBuild(r: BuildResult): void {
  console.log(`${color.green('Built')} ${r.outDir}/entry.js  ${formatSize(r.bytes)} (${formatSize(r.gzipBytes)} gzipped)`)
  console.log(`Configuration: ${r.configPath}`)
  if (r.python) {
    console.log(
      `Python container: ${r.python.dockerfile} (verified against ${r.python.image}; \`stepflare deploy\` builds it with Docker, or set python.image to a pushed image)`,
    )
  }
}
