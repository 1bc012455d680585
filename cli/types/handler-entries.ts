/**
 * One `Handlers` entry per step: the handler type Motia's generated types use, filled from the
 * step's schemas — API body from `bodySchema`, path params from the path, response union from
 * `responseSchema`; event input from `input`; the emit union from the topics' subscribers.
 * Noop and Python steps get no entry (there is no TypeScript handler to type).
 * @module
 */
import type { HttpTriggerModel, StepModel, TriggerModel } from '../../sdk/config/model'
import { emitUnion, type TopicType } from './emit-types'
import { propertyKey } from './json-schema-to-ts'
import type { SchemaTypes } from './schema-types'

/** `/orders/:id/items/:item?` → `{ id: string; item?: string }`; no parameters → `{}`. */
export function pathParamsType(path: string): string {
  const params = [...path.matchAll(/:([A-Za-z0-9_]+)(\{[^}]*\})?(\?)?/g)].map((m) => `${propertyKey(m[1] as string)}${m[3] ? '?' : ''}: string`)
  return params.length ? `{ ${params.join('; ')} }` : '{}'
}

/** Converts a schema, keeping the aliases it needs; `fallback` when there is no schema. */
type Convert = (schema: unknown, prefix: string, fallback: string) => string

function responseType(t: HttpTriggerModel, prefix: string, convert: Convert): string {
  const entries = Object.entries(t.responseSchema ?? {})
  if (entries.length === 0) return 'ApiResponse<number, unknown>'
  return entries
    .map(([status, schema]) => {
      const code = /^[1-5][0-9][0-9]$/.test(status) ? status : 'number'
      return `ApiResponse<${code}, ${convert(schema, `${prefix}Response${code === 'number' ? '' : code}`, 'unknown')}>`
    })
    .join(' | ')
}

function requestType(t: HttpTriggerModel, prefix: string, convert: Convert): string {
  return `ApiRequest<${convert(t.bodySchema, `${prefix}Body`, 'Record<string, unknown>')}, ${pathParamsType(t.path)}>`
}

/** What a triggers-style handler receives as its first argument for one trigger. */
function triggerInput(t: TriggerModel, prefix: string, convert: Convert): string {
  switch (t.type) {
    case 'http':
      return requestType(t, prefix, convert)
    case 'queue':
      return convert(t.input, `${prefix}Input`, 'unknown')
    case 'cron':
      return 'undefined'
    default:
      return 'unknown'
  }
}

const unionOf = (types: string[]) => [...new Set(types)].join(' | ')

export interface EntryContext {
  schemas: SchemaTypes
  topics: Map<string, TopicType>
}

/** The handler type of a step, or undefined when the step has no TypeScript handler. */
export function handlerType(step: StepModel, ctx: EntryContext): string | undefined {
  if (step.kind === 'noop' || step.language === 'python') return undefined
  const convert: Convert = (schema, prefix, fallback) => ctx.schemas.type(schema, prefix, fallback)
  const emit = emitUnion(step, ctx.topics)
  const http = step.triggers.filter((t): t is HttpTriggerModel => t.type === 'http')
  const queues = step.triggers.filter((t) => t.type === 'queue')
  const only = (type: TriggerModel['type']) => step.triggers.length > 0 && step.triggers.every((t) => t.type === type)
  if (only('http') && http.length === 1) {
    const t = http[0] as HttpTriggerModel
    const body = convert(t.bodySchema, `${step.name}Body`, 'Record<string, unknown>')
    return `ApiRouteHandler<${body}, ${responseType(t, step.name, convert)}, ${emit}, ${pathParamsType(t.path)}>`
  }
  if (only('queue')) {
    const inputs = unionOf(queues.map((t) => triggerInput(t, step.name, convert)))
    return `EventHandler<${inputs}, ${emit}>`
  }
  if (only('cron') && step.style === 'classic') return `CronHandler<${emit}>`
  // The triggers style: `(input, ctx)` whichever trigger fired; an API trigger answers, the others return nothing.
  const input = unionOf(step.triggers.map((t, i) => triggerInput(t, `${step.name}${i}`, convert)))
  const results = unionOf([...http.map((t, i) => responseType(t, `${step.name}${i}`, convert)), ...(http.length < step.triggers.length ? ['void'] : [])])
  return `(input: ${input}, ctx: FlowContext<${emit}>) => Promise<${results}>`
}
