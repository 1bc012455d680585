/**
 * Loads a user's project: discovers its files, imports the step modules, validates them (every
 * problem at once), normalises them into the model, and reads `stepflare.config.ts` or Motia's
 * `motia.config.ts`.
 * @module
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { StepModel } from '../sdk/config/model'
import { normalizeStep } from '../sdk/config/normalize'
import { type ConfigProblem, validateProject, validateStepModule, validateStreamModule } from '../sdk/config/validate'
import type { ProjectConfig } from '../sdk/project-config'
import type { StepConfig } from '../sdk/types'
import { loadModules } from './bundle-modules'
import { type DiscoveredFile, discover } from './discover'
import { checkProjectConfig } from './project-checks'
import { type PythonStepEntry, readPythonConfigs } from './python/read-configs'
import { projectRuntime, withRuntime } from './python/runtime'

export const CONFIG_FILES = ['stepflare.config.ts', 'stepflare.config.js', 'motia.config.ts', 'motia.config.js'] as const

export interface LoadedStep {
  model: StepModel
  module: Record<string, unknown>
  /** Set for a Python step: what the runner reported (the module stays in Python). */
  python?: PythonStepEntry
}

export interface LoadedStream {
  file: string
  name: string
  module: Record<string, unknown>
}

export interface Project {
  root: string
  steps: LoadedStep[]
  streams: LoadedStream[]
  files: DiscoveredFile[]
  /** Project config file relative to the root, when there is one. */
  configFile?: string
  config: ProjectConfig
  problems: ConfigProblem[]
}

export function hasErrors(problems: ConfigProblem[]): boolean {
  return problems.some((p) => p.severity === 'error')
}

export async function loadProject(root: string): Promise<Project> {
  const files = await discover(root)
  const problems: ConfigProblem[] = []
  for (const f of files) {
    if (f.kind === 'deprecated-python-step') {
      const better = f.file.replace(/\.step\.py$/, '_step.py')
      problems.push({
        severity: 'warning',
        file: f.file,
        field: 'file name',
        message: `*.step.py is not loaded: Python module names cannot contain dots; rename it to ${better}`,
      })
    }
  }
  const stepFiles = files.filter((f) => f.kind === 'step')
  const streamFiles = files.filter((f) => f.kind === 'stream')
  const configFile = CONFIG_FILES.find((f) => existsSync(join(root, f)))
  const toLoad = [...stepFiles, ...streamFiles, ...(configFile ? [{ file: configFile, abs: join(root, configFile) }] : [])]
  const { modules, errors } = await loadModules(root, toLoad, join(root, '.stepflare', 'cache', 'modules'))
  for (const e of errors) {
    const at = e.line ? `:${e.line}:${e.column ?? 0}` : ''
    problems.push({ severity: 'error', file: `${e.file}${at}`, field: 'module', message: e.message })
  }
  let config: ProjectConfig = {}
  if (configFile) {
    const mod = modules.get(configFile)
    const value = (mod?.default ?? mod?.config) as ProjectConfig | undefined
    if (mod && (value === undefined || typeof value !== 'object')) {
      problems.push({
        severity: 'error',
        file: configFile,
        field: 'default export',
        message: 'expected a default export of defineConfig({...}), found nothing',
      })
    } else if (value) {
      config = value
      problems.push(...checkProjectConfig(config, configFile))
    }
  }
  const queueDefaults = {
    ...(config.queue?.maxRetries !== undefined ? { maxRetries: config.queue.maxRetries } : {}),
    ...(config.queue?.backoffDelayMs !== undefined ? { backoffDelayMs: config.queue.backoffDelayMs } : {}),
  }
  const steps: LoadedStep[] = []
  // Project-wide checks also see steps with shape errors, when they can be read at all, so that
  // one run reports a clash together with the other problems.
  const seen: StepModel[] = []
  const named: { name: string; file: string }[] = []
  const nameOf = (file: string, config: unknown) => {
    const name = (config as { name?: unknown } | null)?.name
    if (typeof name === 'string' && name !== '') named.push({ name, file })
  }
  for (const f of stepFiles) {
    const mod = modules.get(f.file)
    if (!mod) continue
    const own = validateStepModule(f.file, mod)
    problems.push(...own)
    const source = (mod.config ? mod : (mod.default as Record<string, unknown>)) ?? mod
    nameOf(f.file, source.config)
    let model: StepModel | undefined
    try {
      model = normalizeStep(source.config as StepConfig, { file: f.file, queueDefaults })
    } catch {
      model = undefined
    }
    if (model && typeof model.name === 'string') seen.push(model)
    if (model && !own.some((p) => p.severity === 'error')) steps.push({ model, module: source })
  }
  if (files.some((f) => f.kind === 'python-step')) {
    const py = await readPythonConfigs(root)
    problems.push(...py.problems)
    const fallback = projectRuntime(config.python?.runtime, configFile)
    problems.push(...fallback.problems)
    for (const raw of py.steps) {
      const { entry, problems: runtimeProblems } = withRuntime(raw, fallback.runtime)
      problems.push(...runtimeProblems)
      const own = validateStepModule(entry.file, { config: entry.config, handler: () => {} })
      problems.push(...own)
      nameOf(entry.file, entry.config)
      let model: StepModel | undefined
      try {
        model = normalizeStep(entry.config as unknown as StepConfig, { file: entry.file, queueDefaults, language: 'python' })
      } catch {
        model = undefined
      }
      if (model && typeof model.name === 'string') seen.push(model)
      if (model && !own.some((p) => p.severity === 'error')) steps.push({ model, module: {}, python: entry })
    }
  }
  problems.push(...validateProject(seen, named))
  const streams: LoadedStream[] = []
  for (const f of streamFiles) {
    const mod = modules.get(f.file)
    if (!mod) continue
    const own = validateStreamModule(f.file, mod)
    problems.push(...own)
    if (own.length) continue
    const source = (mod.config ? mod : (mod.default as Record<string, unknown>)) ?? mod
    const name = (source.config as { name: string }).name
    const clash = streams.find((s) => s.name === name)
    if (clash)
      problems.push({
        severity: 'error',
        file: f.file,
        field: 'config.name',
        message: `expected a unique stream name, found ${JSON.stringify(name)} which ${clash.file} also uses`,
      })
    else streams.push({ file: f.file, name, module: source })
  }
  return { root, steps, streams, files, ...(configFile ? { configFile } : {}), config, problems }
}
