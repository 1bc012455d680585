/**
 * The Python runner as a child process of `stepflare dev`: started with `serve`, ready once it
 * printed its port and answers GET /health, restarted on demand (after a Python file changed),
 * and stopped with its whole process group. It also stops by itself when its stdin pipe closes,
 * so a crashed CLI leaves no runner behind.
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createInterface } from 'node:readline'
import { CliError } from '../errors'
import { PythonNotFoundError, pythonCommand, pythonEnv } from './paths'

export interface RunnerOptions {
  /** 0 (the default) picks a free port. */
  port?: number
  host?: string
  python?: string
  threads?: number
  startTimeoutMs?: number
  env?: NodeJS.ProcessEnv
  /**
   * The bridge secret the runner checks every `/invoke` against (default: a random one, read back
   * from {@link PythonRunner.secret}). It reaches the runner in its environment, never its argv.
   */
  secret?: string
  /** Each line the runner prints; defaults to the console, prefixed with `[python]`. */
  onOutput?: (line: string, stream: 'stdout' | 'stderr') => void
  /** The runner ended without `stop()` (a crash, a kill). */
  onExit?: (code: number | null, signal: NodeJS.Signals | null) => void
}

export interface RunnerHealth {
  ok: true
  protocol: number
  runner: string
  python: string
  pid: number
  root: string
  steps: string[]
  streams: string[]
  problems: { file: string; field: string; message: string; traceback?: string }[]
  running: number
}

export class RunnerStartError extends CliError {
  constructor(message: string, options: { cause?: unknown; output?: string[] } = {}) {
    const tail = options.output?.length ? `\n${options.output.slice(-10).join('\n')}` : ''
    super(`${message}${tail}`, { hint: 'Check the Python output above; `--port` may be taken by another process.', cause: options.cause })
    this.name = 'RunnerStartError'
  }
}

const defaultOutput = (line: string, stream: 'stdout' | 'stderr') => (stream === 'stderr' ? console.error : console.log)(`[python] ${line}`)

export class PythonRunner {
  private child?: ChildProcess
  private boundPort?: number
  private lastPort?: number
  private stopping = false
  readonly secret: string

  constructor(
    readonly root: string,
    private readonly options: RunnerOptions = {},
  ) {
    this.secret = options.secret ?? randomBytes(24).toString('hex')
  }

  get port(): number | undefined {
    return this.boundPort
  }

  get pid(): number | undefined {
    return this.child?.pid
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null
  }

  get url(): string {
    if (this.boundPort === undefined) throw new CliError('the Python runner is not started')
    return `http://${this.options.host ?? '127.0.0.1'}:${this.boundPort}`
  }

  async start(port = this.options.port ?? 0): Promise<RunnerHealth> {
    if (this.running) return this.health()
    const { host = '127.0.0.1', threads, startTimeoutMs = 20_000 } = this.options
    const command = this.options.python ?? pythonCommand(this.root, this.options.env)
    const args = [
      '-m',
      'stepflare_runner',
      'serve',
      this.root,
      '--host',
      host,
      '--port',
      String(port),
      '--parent-pipe',
      ...(threads ? ['--threads', String(threads)] : []),
    ]
    const output = this.options.onOutput ?? defaultOutput
    const env = pythonEnv({ STEPFLARE_PYTHON_SECRET: this.secret }, this.options.env)
    const child = spawn(command, args, { cwd: this.root, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true })
    this.child = child
    this.stopping = false
    const recent: string[] = []
    const listening = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new RunnerStartError(`the Python runner did not start within ${startTimeoutMs / 1000} s`, { output: recent })),
        startTimeoutMs,
      )
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const port = listeningPort(line)
        if (port !== undefined) {
          clearTimeout(timer)
          resolve(port)
        } else output(line, 'stdout')
      })
      createInterface({ input: child.stderr! }).on('line', (line) => {
        recent.push(line)
        if (recent.length > 20) recent.shift()
        output(line, 'stderr')
      })
      child.on('error', (err) => {
        clearTimeout(timer)
        reject((err as NodeJS.ErrnoException).code === 'ENOENT' ? new PythonNotFoundError(command, { cause: err }) : err)
      })
      child.on('exit', (code, signal) => {
        clearTimeout(timer)
        reject(new RunnerStartError(`the Python runner exited (code ${code}, signal ${signal}) before it was ready`, { output: recent }))
        if (this.child === child) this.boundPort = undefined
        if (!this.stopping) this.options.onExit?.(code, signal)
      })
    })
    try {
      this.boundPort = await listening
      this.lastPort = this.boundPort
      return await this.health()
    } catch (err) {
      await this.stop()
      throw err
    }
  }

  async health(): Promise<RunnerHealth> {
    const res = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(5000) })
    if (!res.ok) throw new CliError(`the Python runner's /health answered HTTP ${res.status}`)
    return (await res.json()) as RunnerHealth
  }

  /** Stops the runner (if running) and starts it again, on the same port: it re-imports every step file. */
  async restart(): Promise<RunnerHealth> {
    await this.stop()
    return this.start(this.options.port || this.lastPort || 0)
  }

  /** SIGTERM to the process group, SIGKILL after `graceMs`. */
  async stop(graceMs = 3000): Promise<void> {
    const child = this.child
    if (!child?.pid) return
    this.stopping = true
    this.boundPort = undefined
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
      killGroup(child.pid, 'SIGTERM')
      const timer = setTimeout(() => killGroup(child.pid!, 'SIGKILL'), graceMs)
      await exited
      clearTimeout(timer)
    }
    child.stdin?.destroy()
    if (this.child === child) this.child = undefined
  }
}

function listeningPort(line: string): number | undefined {
  if (!line.startsWith('{"stepflare"')) return undefined
  try {
    const msg = JSON.parse(line) as { stepflare?: string; port?: number }
    return msg.stepflare === 'listening' && typeof msg.port === 'number' ? msg.port : undefined
  } catch {
    return undefined
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal)
  } catch {
    // already gone
  }
}

export async function startRunner(root: string, options: RunnerOptions = {}): Promise<PythonRunner> {
  const runner = new PythonRunner(root, options)
  await runner.start()
  return runner
}
