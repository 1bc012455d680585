/**
 * Reads the configs of a project's Python steps by running
 * `python3 -m stepflare_runner configs <root>`: every step's file, module and `config` as the
 * user wrote it (JSON), and every file that could not be loaded, with its traceback.
 * @module
 */
import { spawn } from 'node:child_process'
import type { ConfigProblem } from '../../sdk/config/validate'
import { CliError } from '../errors'
import { PythonNotFoundError, pythonCommand, pythonEnv } from './paths'

export interface PythonStepEntry {
  /** Relative to the project root, forward slashes. */
  file: string
  /** e.g. `steps.billing.score_order_step`. */
  module: string
  config: Record<string, unknown>
  /** Names of the config's middleware functions (they run in Python; they are not in `config`). */
  middleware?: string[]
  /** Where the step runs in production (see runtime.ts); set by the project loader. */
  runtime?: 'container' | 'workers'
}

export interface PythonProblem extends ConfigProblem {
  /** The Python traceback, for an import failure. */
  traceback?: string
}

export interface PythonConfigs {
  python: string
  steps: PythonStepEntry[]
  streams: PythonStepEntry[]
  problems: PythonProblem[]
}

interface RawError {
  file: string
  field: string
  message: string
  traceback?: string
}

export interface ReadOptions {
  python?: string
  timeoutMs?: number
  env?: NodeJS.ProcessEnv
}

function run(command: string, args: string[], root: string, options: ReadOptions): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env: pythonEnv({}, options.env), stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    const limit = options.timeoutMs ?? 60_000
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(
        new CliError(`${command} -m stepflare_runner configs did not finish within ${limit / 1000} s`, {
          hint: 'A Python step module may block while it is imported (a network call, input()).',
        }),
      )
    }, limit)
    child.stdout.on('data', (d) => {
      stdout += d
    })
    child.stderr.on('data', (d) => {
      stderr += d
    })
    child.on('error', (err) => {
      clearTimeout(timer)
      reject((err as NodeJS.ErrnoException).code === 'ENOENT' ? new PythonNotFoundError(command, { cause: err }) : err)
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

export async function readPythonConfigs(root: string, options: ReadOptions = {}): Promise<PythonConfigs> {
  const command = options.python ?? pythonCommand(root, options.env)
  const { code, stdout, stderr } = await run(command, ['-m', 'stepflare_runner', 'configs', root], root, options)
  let doc: { python?: string; steps?: PythonStepEntry[]; streams?: PythonStepEntry[]; errors?: RawError[] }
  try {
    doc = JSON.parse(stdout)
  } catch (err) {
    throw new CliError(`reading the Python step configs failed (exit code ${code}): ${stderr.trim().split('\n').slice(-5).join('\n') || 'no output'}`, {
      hint: 'Run `python3 -m stepflare_runner configs .` with PYTHONPATH set to stepflare/python-bridge to see the full output.',
      cause: err,
    })
  }
  const problems: PythonProblem[] = (doc.errors ?? []).map((e) => ({
    severity: 'error',
    file: e.file,
    field: e.field,
    message: e.message,
    ...(e.traceback ? { traceback: e.traceback } : {}),
  }))
  return { python: doc.python ?? 'unknown', steps: doc.steps ?? [], streams: doc.streams ?? [], problems }
}
