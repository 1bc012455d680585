/**
 * Where the Python runner lives (python-bridge/ inside the installed stepflare package) and how
 * to start Python for a project: `STEPFLARE_PYTHON`, else Motia's `python_modules` virtualenv,
 * else `python3`.
 * @module
 */
import { existsSync } from 'node:fs'
import { delimiter, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CliError } from '../errors'

export const BRIDGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'python-bridge')
export const RUNNER_PACKAGE_DIR = join(BRIDGE_DIR, 'stepflare_runner')

export function pythonCommand(root: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.STEPFLARE_PYTHON) return env.STEPFLARE_PYTHON
  const venv = join(root, 'python_modules', 'bin', 'python')
  return existsSync(venv) ? venv : 'python3'
}

/** The environment for the runner: PYTHONPATH gets python-bridge/ first; no bytecode in the user's tree. */
export function pythonEnv(extra: NodeJS.ProcessEnv = {}, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const path = [BRIDGE_DIR, base.PYTHONPATH].filter(Boolean).join(delimiter)
  return { ...base, PYTHONPATH: path, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1', ...extra }
}

/** Python is not installed (or not where STEPFLARE_PYTHON points). */
export class PythonNotFoundError extends CliError {
  constructor(command: string, options: { cause?: unknown } = {}) {
    super(`${command} was not found, and the project has Python steps`, {
      hint: 'Install Python 3.9 or newer, or set STEPFLARE_PYTHON to its path.',
      cause: options.cause,
    })
    this.name = 'PythonNotFoundError'
  }
}
