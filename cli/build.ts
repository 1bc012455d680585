/**
 * `stepflare build`: validate, generate, bundle with `wrangler deploy --dry-run`, print the size.
 * @module
 */
import { readdirSync, statSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { CliError } from './errors'
import { prepare } from './prepare'
import { color } from './print'
import { writePythonDeployConfig } from './python/deploy-config'
import type { PythonStepEntry } from './python/read-configs'
import { bindPythonWorker, pythonWorkerName, writePythonWorker } from './python/workers-files'
import { runWrangler } from './wrangler-process'

export interface BuildResult {
  outDir: string
  bytes: number
  gzipBytes: number
  configPath: string
  /** Set when the project has Python steps on containers: the build context and the image verified. */
  python?: { dockerfile: string; image: string }
  /** Set when Python steps run on the Workers Python target: the Python Worker, bundled. */
  pythonWorker?: { name: string; configPath: string; outDir: string; bytes: number; steps: number }
}

export interface BuildOptions {
  root: string
  env?: string
  outDir?: string
  /** Told what is happening as it starts (the CLI prints it on a terminal). */
  progress?: (step: string) => void
}

export async function build(opts: BuildOptions): Promise<BuildResult> {
  const root = resolve(opts.root)
  const progress = opts.progress ?? (() => {})
  progress('validating and generating')
  const { project, generated } = await prepare(root)
  const outDir = resolve(root, opts.outDir ?? '.stepflare/dist')
  const envArgs = opts.env ? ['--env', opts.env] : []
  const python = project.steps.filter((s) => s.python)
  const onWorkers = python.filter((s) => s.python?.runtime === 'workers')
  let main = generated.wrangler
  let configPath = generated.configPath
  let pythonWorker: BuildResult['pythonWorker']
  if (onWorkers.length) {
    const workerConfig = await writePythonWorker(
      root,
      main,
      onWorkers.map((s) => (s.python as PythonStepEntry).file),
    )
    const workerOut = `${outDir}-python`
    progress('bundling the Python Worker (wrangler deploy --dry-run)')
    await dryRun(root, ['--outdir', workerOut, '--config', workerConfig, ...envArgs], 'the Python Worker')
    main = bindPythonWorker(main)
    pythonWorker = { name: pythonWorkerName(main.name), configPath: workerConfig, outDir: workerOut, bytes: folderBytes(workerOut), steps: onWorkers.length }
  }
  let container: BuildResult['python']
  if (python.length > onWorkers.length) {
    // Without Docker the dry run cannot build the Dockerfile: it verifies against an image reference.
    const verifyImage = project.config.python?.image ?? `registry.cloudflare.com/stepflare/${generated.wrangler.name}-python:latest`
    const deploy = await writePythonDeployConfig(project, main, { image: verifyImage })
    configPath = deploy.configPath
    container = { dockerfile: deploy.dockerfile, image: deploy.image }
  } else if (pythonWorker) {
    configPath = join(root, '.stepflare', 'wrangler.deploy.json')
    await writeFile(configPath, `${JSON.stringify(main, null, 2)}\n`)
  }
  progress('bundling the Worker (wrangler deploy --dry-run)')
  await dryRun(root, ['--outdir', outDir, '--config', configPath, ...envArgs], 'the Worker')
  const code = await readFile(join(outDir, 'entry.js'))
  return {
    outDir,
    bytes: code.length,
    gzipBytes: gzipSync(code).length,
    configPath,
    ...(container ? { python: container } : {}),
    ...(pythonWorker ? { pythonWorker } : {}),
  }
}

async function dryRun(root: string, args: string[], what: string): Promise<void> {
  const r = await runWrangler(root, ['deploy', '--dry-run', ...args])
  if (r.code !== 0) {
    process.stderr.write(r.stdout + r.stderr)
    throw new CliError(`wrangler could not bundle ${what}`, { hint: 'See the bundler errors above; they name the file and line.' })
  }
}

function folderBytes(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .reduce((sum, e) => sum + statSync(join(e.parentPath, e.name)).size, 0)
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
  if (r.pythonWorker) {
    const w = r.pythonWorker
    console.log(
      `Python Worker: ${w.name}, ${w.steps} step(s), ${formatSize(w.bytes)} of modules in ${w.outDir} (runs on Pyodide; \`stepflare dev\` runs these steps in local CPython)`,
    )
  }
}
