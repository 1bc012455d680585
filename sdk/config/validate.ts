/**
 * Config validation with messages that name the file, the field, what was expected and what was
 * found. Per-step checks (shape) and project checks (duplicate names, clashing routes, cron
 * expressions, topics nobody emits) both return every problem at once.
 * @module
 */
import { Cron } from 'croner'
import type { z } from 'zod'
import { classicSchemas, triggersConfigSchema } from './config-schema'
import type { StepModel } from './model'
import { emittedTopics } from './normalize'
import { streamConfigSchema } from './stream-schema'

export interface ConfigProblem {
  severity: 'error' | 'warning'
  file: string
  /** Dotted field path such as `config.method` or `config.triggers[0].path`. */
  field: string
  message: string
}

export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing'
  if (v === null) return 'null'
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v)
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  if (typeof v === 'function') return 'a function'
  if (Array.isArray(v)) return `an array of ${v.length}`
  return 'an object'
}

function fieldPath(path: readonly PropertyKey[]): string {
  let out = 'config'
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `.${String(p)}`
  return out
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur = root
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined
    cur = (cur as Record<PropertyKey, unknown>)[p]
  }
  return cur
}

function expectedOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'custom' ? issue.message.replace(/^expected /, '') : `${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`
    case 'invalid_value':
      return issue.values.length === 1 ? JSON.stringify(issue.values[0]) : `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`
    case 'too_small':
      return issue.origin === 'array'
        ? `at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}`
        : issue.origin === 'string'
          ? 'a non-empty string'
          : `a number >= ${issue.minimum}`
    case 'too_big':
      return issue.origin === 'array' ? `at most ${issue.maximum} items` : `a number <= ${issue.maximum}`
    case 'invalid_format':
      return issue.message.replace(/^expected /, '')
    default:
      return issue.message.replace(/^expected /, '')
  }
}

function zodProblems(file: string, config: unknown, error: z.ZodError): ConfigProblem[] {
  const out: ConfigProblem[] = []
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({
          severity: 'error',
          file,
          field: fieldPath([...issue.path, key]),
          message: 'unknown key; expected none (remove it or check its spelling)',
        })
      }
      continue
    }
    if (issue.code === 'invalid_union' && issue.path.length > 0) {
      const v = valueAt(config, issue.path)
      const t = v && typeof v === 'object' ? (v as { type?: unknown }).type : undefined
      out.push({
        severity: 'error',
        file,
        field: fieldPath(t === undefined || typeof v !== 'object' ? issue.path : [...issue.path, 'type']),
        message: `expected ${typeof v === 'object' && v !== null ? "a trigger type of 'http', 'queue', 'cron', 'state' or 'stream'" : 'a topic string or { topic, label?, conditional? }'}, found ${describeValue(typeof v === 'object' && v !== null ? t : v)}`,
      })
      continue
    }
    const found = describeValue(valueAt(config, issue.path))
    out.push({ severity: 'error', file, field: fieldPath(issue.path), message: `expected ${expectedOf(issue)}, found ${found}` })
  }
  return out
}

/** Shape checks of one stream module's `config`. */
export function validateStreamModule(file: string, mod: Record<string, unknown>): ConfigProblem[] {
  const config = (mod.config ?? (mod.default as Record<string, unknown> | undefined)?.config) as unknown
  if (config === undefined || config === null || typeof config !== 'object') {
    return [
      { severity: 'error', file, field: 'config', message: `expected an exported \`config\` object with name and schema, found ${describeValue(config)}` },
    ]
  }
  const r = streamConfigSchema.safeParse(config)
  return r.success ? [] : zodProblems(file, config, r.error)
}

/** Shape checks of one step module's exports. */
export function validateStepModule(file: string, mod: Record<string, unknown>): ConfigProblem[] {
  const config = (mod.config ?? (mod.default as Record<string, unknown> | undefined)?.config) as unknown
  const handler = mod.handler ?? (mod.default as Record<string, unknown> | undefined)?.handler
  if (config === undefined || config === null || typeof config !== 'object') {
    return [{ severity: 'error', file, field: 'config', message: `expected an exported \`config\` object, found ${describeValue(config)}` }]
  }
  const c = config as Record<string, unknown>
  let problems: ConfigProblem[]
  if ('triggers' in c) {
    const r = triggersConfigSchema.safeParse(c)
    problems = r.success ? [] : zodProblems(file, c, r.error)
  } else if (typeof c.type === 'string' && c.type in classicSchemas) {
    const r = classicSchemas[c.type as keyof typeof classicSchemas].safeParse(c)
    problems = r.success ? [] : zodProblems(file, c, r.error)
  } else {
    problems = [
      {
        severity: 'error',
        file,
        field: 'config.type',
        message: `expected one of "api", "event", "cron", "noop" (or a \`triggers\` array), found ${describeValue(c.type)}`,
      },
    ]
  }
  problems.push(...pathWarnings(file, c), ...unusedFields(file, c))
  const knownType = 'triggers' in c || (typeof c.type === 'string' && c.type in classicSchemas)
  if (knownType && c.type !== 'noop' && typeof handler !== 'function') {
    problems.push({ severity: 'error', file, field: 'handler', message: `expected an exported \`handler\` function, found ${describeValue(handler)}` })
  }
  return problems
}

/**
 * Fields Motia accepts that stepflare does not act on: a warning each, naming the field — except
 * `concurrency`, which changes what a step can rely on, so it is an error until it is honoured.
 */
function unusedFields(file: string, c: Record<string, unknown>): ConfigProblem[] {
  const out: ConfigProblem[] = []
  const infra = c.infrastructure as { handler?: Record<string, unknown>; queue?: Record<string, unknown> } | undefined
  for (const key of ['ram', 'cpu'] as const) {
    if (infra?.handler?.[key] !== undefined) {
      out.push({
        severity: 'warning',
        file,
        field: `config.infrastructure.handler.${key}`,
        message: `ignored: a Worker's memory and CPU are the platform's (128 MB; CPU time per invocation in wrangler's \`limits\`)`,
      })
    }
  }
  if (Array.isArray(c.includeFiles) && c.includeFiles.length > 0) {
    out.push({ severity: 'warning', file, field: 'config.includeFiles', message: 'ignored: the Worker bundles what the step imports' })
  }
  const concurrency = (field: string) => ({
    severity: 'error' as const,
    file,
    field,
    message: 'not supported yet: stepflare does not limit how many runs of a step are in flight; remove it (runs are then not limited)',
  })
  if (infra?.queue?.concurrency !== undefined) out.push(concurrency('config.infrastructure.queue.concurrency'))
  if (Array.isArray(c.triggers)) {
    c.triggers.forEach((t, i) => {
      if ((t as { config?: { concurrency?: unknown } } | null)?.config?.concurrency !== undefined)
        out.push(concurrency(`config.triggers[${i}].config.concurrency`))
    })
  }
  return out
}

/** Motia 1.x registers paths without their leading `/`, so one without is served with it, and said so. */
function pathWarnings(file: string, c: Record<string, unknown>): ConfigProblem[] {
  const paths: [string, unknown][] = Array.isArray(c.triggers)
    ? c.triggers.map((t, i) => [`config.triggers[${i}].path`, (t as { path?: unknown } | null)?.path])
    : [['config.path', c.path]]
  return paths
    .filter(([, p]) => typeof p === 'string' && p !== '' && !p.startsWith('/'))
    .map(([field, p]) => ({
      severity: 'warning' as const,
      file,
      field,
      message: `${JSON.stringify(p)} has no leading slash; it is served as ${JSON.stringify(`/${p}`)}`,
    }))
}

export function cronProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/).length
  if (fields < 5 || fields > 6)
    return `expected a cron expression of 5 fields (or 6 with seconds first), found ${fields} field${fields === 1 ? '' : 's'} in ${JSON.stringify(expression)}`
  try {
    new Cron(expression, { paused: true, mode: fields === 6 ? '6-part' : '5-part' })
    return undefined
  } catch (err) {
    return `expected a valid cron expression, found ${JSON.stringify(expression)} (${(err as Error).message})`
  }
}

/** A route's identity: method plus path with parameter names erased (`/a/:id` == `/a/:x`). */
function routeKey(method: string, path: string): string {
  return `${method} ${path.replace(/:[^/]+/g, ':').replace(/\/+$/, '') || '/'}`
}

/**
 * Checks across steps. `steps`: every step that could be normalised, its own shape valid or not;
 * `named`: every step file whose config has a name, so a duplicate name is reported even where
 * the rest of the config is too broken to normalise.
 */
export function validateProject(steps: StepModel[], named: { name: string; file: string }[] = steps): ConfigProblem[] {
  const out: ConfigProblem[] = []
  const byName = new Map<string, { file: string }>()
  for (const s of named) {
    const first = byName.get(s.name)
    if (first) {
      out.push({
        severity: 'error',
        file: s.file,
        field: 'config.name',
        message: `expected a unique step name, found ${JSON.stringify(s.name)} which ${first.file} also uses`,
      })
    } else byName.set(s.name, s)
  }
  const routes = new Map<string, StepModel>()
  const emitted = new Set(steps.flatMap(emittedTopics))
  for (const s of steps) {
    s.triggers.forEach((t, i) => {
      const field = s.style === 'classic' ? 'config' : `config.triggers[${i}]`
      if (t.type === 'http') {
        const key = routeKey(t.method, t.path)
        const other = routes.get(key)
        if (other) {
          out.push({
            severity: 'error',
            file: s.file,
            field: `${field}.path`,
            message: `expected a unique method and path, found ${t.method} ${t.path} which ${other.file} (${other.name}) also serves`,
          })
        } else routes.set(key, s)
        if (t.path.startsWith('/__stepflare')) {
          out.push({
            severity: 'error',
            file: s.file,
            field: `${field}.path`,
            message: `expected a path outside /__stepflare (reserved for stepflare), found ${JSON.stringify(t.path)}`,
          })
        }
      } else if (t.type === 'cron') {
        const problem = cronProblem(t.expression)
        if (problem) out.push({ severity: 'error', file: s.file, field: s.style === 'classic' ? 'config.cron' : `${field}.expression`, message: problem })
      } else if (t.type === 'queue' && !emitted.has(t.topic)) {
        out.push({
          severity: 'warning',
          file: s.file,
          field: s.style === 'classic' ? 'config.subscribes' : `${field}.topic`,
          message: `no step emits ${JSON.stringify(t.topic)}; this step runs only for events sent with POST /__stepflare/emit`,
        })
      }
    })
  }
  return out
}
