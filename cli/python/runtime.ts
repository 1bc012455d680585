/**
 * Where a Python step runs in production: `container` (the default: CPython in a Cloudflare
 * Container, any package) or `workers` (a Python Worker on Pyodide behind an RPC service binding,
 * for light steps). Chosen per step with `"runtime": "workers"` in its config, or for the project
 * with `python.runtime` in stepflare.config.ts. `stepflare dev` runs every Python step in the local
 * runner whatever its runtime.
 * @module
 */
import type { ConfigProblem } from '../../sdk/config/validate'
import type { PythonStepEntry } from './read-configs'

export const PYTHON_RUNTIMES = ['container', 'workers'] as const
export type PythonRuntime = (typeof PYTHON_RUNTIMES)[number]

function isRuntime(value: unknown): value is PythonRuntime {
  return (PYTHON_RUNTIMES as readonly unknown[]).includes(value)
}

function problem(file: string, field: string, value: unknown): ConfigProblem {
  return { severity: 'error', file, field, message: `expected "container" or "workers", found ${JSON.stringify(value)}` }
}

/** The project default (`python.runtime` in the project config), checked. */
export function projectRuntime(value: unknown, configFile = 'stepflare.config.ts'): { runtime: PythonRuntime; problems: ConfigProblem[] } {
  if (value === undefined || isRuntime(value)) return { runtime: value ?? 'container', problems: [] }
  return { runtime: 'container', problems: [problem(configFile, 'python.runtime', value)] }
}

/** Takes `runtime` out of a step's config (the config schema is Motia's) and applies the default. */
export function withRuntime(entry: PythonStepEntry, projectDefault: PythonRuntime): { entry: PythonStepEntry; problems: ConfigProblem[] } {
  const { runtime, ...config } = entry.config
  if (runtime !== undefined && !isRuntime(runtime)) return { entry: { ...entry, config }, problems: [problem(entry.file, 'config.runtime', runtime)] }
  return { entry: { ...entry, config, runtime: runtime ?? projectDefault }, problems: [] }
}
