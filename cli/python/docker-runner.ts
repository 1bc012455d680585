/**
 * The Python steps' container image, built and run with the local Docker engine for
 * `stepflare preview`: the image `stepflare build` describes (`.stepflare/python/Dockerfile`: the
 * runner, the steps, requirements.txt, FROM `python.baseImage`), run as a container on this
 * machine's network, reached over HTTP like the local runner. The bridge secret reaches it in an
 * env file only the user can read — never on `docker run`'s command line, never in the image.
 *
 * What differs from Cloudflare: there, the Worker reaches the container through its Container
 * class (a Durable Object), and instances start, sleep and scale by the platform; here one
 * container runs for the whole preview, and the Worker calls it at a loopback URL.
 * @module
 */
import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CliError } from '../errors'

export class DockerError extends CliError {
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super(message, { hint: options.hint ?? 'Start the Docker engine (`dockerd`), or run `stepflare dev`, which uses the local python3.', cause: options.cause })
    this.name = 'DockerError'
  }
}

/** Whether a Docker engine answers (`docker info`), within a few seconds. */
export function dockerAvailable(): boolean {
  const r = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8', timeout: 10_000 })
  return r.status === 0 && r.stdout.trim() !== ''
}

function run(args: string[], cwd?: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('docker', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d) => {
      output += d
    })
    child.stderr.on('data', (d) => {
      output += d
    })
    child.on('error', (err) => resolve({ code: 1, output: String(err) }))
    child.on('close', (code) => resolve({ code: code ?? 1, output }))
  })
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

export interface ContainerRunner {
  url: string
  image: string
  name: string
  stop(): Promise<void>
}

/** Builds the image from the project root (the build context) and runs it until `stop()`. */
export async function startContainerRunner(
  root: string,
  opts: { dockerfile: string; tag: string; secret: string; onOutput?: (line: string) => void },
): Promise<ContainerRunner> {
  opts.onOutput?.(`building the Python image ${opts.tag} (docker build)`)
  const built = await run(['build', '-t', opts.tag, '-f', opts.dockerfile, '.'], root)
  if (built.code !== 0) throw new DockerError(`docker build of the Python image failed:\n${built.output.trim().split('\n').slice(-15).join('\n')}`)
  const port = await freePort()
  const name = `stepflare-python-${randomBytes(4).toString('hex')}`
  const dir = mkdtempSync(join(tmpdir(), 'stepflare-container-'))
  const envFile = join(dir, 'env')
  writeFileSync(envFile, `STEPFLARE_PYTHON_SECRET=${opts.secret}\n`, { mode: 0o600 })
  const args = ['run', '-d', '--rm', '--name', name, '--network', 'host', '--env-file', envFile, opts.tag]
  const started = await run([...args, 'python3', '-m', 'stepflare_runner', 'serve', '/app', '--host', '127.0.0.1', '--port', String(port)])
  rmSync(dir, { recursive: true, force: true })
  if (started.code !== 0) throw new DockerError(`docker run of the Python image failed:\n${started.output.trim()}`)
  const url = `http://127.0.0.1:${port}`
  const stop = async () => {
    await run(['rm', '-f', name])
  }
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    const ok = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    )
    if (ok) return { url, image: opts.tag, name, stop }
    await new Promise((r) => setTimeout(r, 200))
  }
  const logs = await run(['logs', name])
  await stop()
  throw new DockerError(`the Python container did not answer within 30 s:\n${logs.output.trim().split('\n').slice(-15).join('\n')}`)
}
