/**
 * The one internal model every step is normalised into, whichever config style it was written in.
 * The CLI serialises it (schemas as JSON Schema, functions dropped) into `.stepflare/manifest.json`;
 * the Worker builds it again from the imported modules so it keeps the live schemas and functions.
 * @module
 */
import type { ApiMiddleware } from '../handler-types'
import type { BodyType, HttpMethod, QueryParam, StepSchemaInput, TriggerCondition } from '../types'

export type StepKind = 'api' | 'event' | 'cron' | 'noop' | 'multi'

export interface EmitSpec {
  topic: string
  label?: string
  conditional?: boolean
}

export interface QueueSettings {
  type: 'standard' | 'fifo'
  maxRetries: number
  delaySeconds: number
  visibilityTimeout: number
  backoffType: 'exponential' | 'linear' | 'fixed'
  backoffDelayMs: number
  concurrency?: number
}

export interface HttpTriggerModel {
  type: 'http'
  method: HttpMethod
  path: string
  bodySchema?: StepSchemaInput
  /** The body encodings accepted; set only when there is a `bodySchema` (default `['json']`). */
  bodyTypes?: BodyType[]
  responseSchema?: Record<number, StepSchemaInput>
  queryParams: QueryParam[]
  // biome-ignore lint/suspicious/noExplicitAny: middleware is generic
  middleware: ApiMiddleware<any, any, any>[]
  condition?: TriggerCondition
}

export interface QueueTriggerModel {
  type: 'queue'
  topic: string
  input?: StepSchemaInput
  queue: QueueSettings
  condition?: TriggerCondition
}

export interface CronTriggerModel {
  type: 'cron'
  expression: string
  /** True for a 6-field expression with a leading seconds field (runs through the scheduler object). */
  seconds: boolean
  condition?: TriggerCondition
}

export interface StateTriggerModel {
  type: 'state'
  condition?: TriggerCondition
}

export interface StreamTriggerModel {
  type: 'stream'
  streamName: string
  groupId?: string
  itemId?: string
  condition?: TriggerCondition
}

export type TriggerModel = HttpTriggerModel | QueueTriggerModel | CronTriggerModel | StateTriggerModel | StreamTriggerModel

export interface StepModel {
  name: string
  /** Path relative to the project root, with forward slashes. */
  file: string
  style: 'classic' | 'triggers'
  kind: StepKind
  language: 'typescript' | 'python'
  description?: string
  flows: string[]
  emits: EmitSpec[]
  /** True when `emits` was given empty: Motia lets such a step emit any topic. */
  emitsAny: boolean
  virtualEmits: EmitSpec[]
  virtualSubscribes: string[]
  triggers: TriggerModel[]
  /** `infrastructure.handler.timeout` in milliseconds, when set. */
  timeoutMs?: number
}

export const DEFAULT_QUEUE: QueueSettings = {
  type: 'standard',
  maxRetries: 3,
  delaySeconds: 0,
  visibilityTimeout: 900,
  backoffType: 'exponential',
  backoffDelayMs: 1000,
}
