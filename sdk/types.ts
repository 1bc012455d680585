/**
 * Step configuration types: the classic Motia 0.17 shapes (`type: 'api' | 'event' | 'cron' | 'noop'`)
 * and the triggers style (`triggers: [http(...), queue(...), cron(...)]`). Both are accepted as they
 * are and normalised into one model by `normalizeStep`.
 * @module
 */

import type { FlowContext } from './context-types'
import type { ApiMiddleware } from './handler-types'

/** A JSON Schema object (draft 7 / 2020-12 subset). */
export type JsonSchema = { [key: string]: unknown }

/** Anything with `safeParse`: a zod 3 or zod 4 schema, or a compatible library. */
export interface ZodLikeSchema {
  safeParse(data: unknown): { success: boolean; data?: unknown; error?: unknown }
}

export type StepSchemaInput = ZodLikeSchema | JsonSchema

export type Emit = string | { topic: string; label?: string; conditional?: boolean }
export type Enqueue = Emit

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'OPTIONS' | 'HEAD'

/**
 * Body encodings an API step with a `bodySchema` accepts: `json` (`application/json`, `+json`),
 * `form` (`application/x-www-form-urlencoded`), `multipart` (`multipart/form-data`), `text` (any
 * other type, or none). A body of any other encoding is answered `415` before the handler runs.
 * Default `['json']`: an HTML form on another site can post `form`, `multipart` and `text` bodies
 * without a CORS preflight. Steps without a `bodySchema` accept every encoding.
 */
export type BodyType = 'json' | 'form' | 'multipart' | 'text'

export interface QueryParam {
  name: string
  description?: string
}

export interface QueueConfig {
  type: 'fifo' | 'standard'
  /** Retries after the first attempt (default 3). */
  maxRetries: number
  /** Seconds a started attempt owns the message before it is re-dispatched (default 900). */
  visibilityTimeout: number
  /** Seconds to wait before the first delivery (default 0). */
  delaySeconds: number
  concurrency?: number
  /** `exponential` (default), `linear` or `fixed`. */
  backoffType?: 'exponential' | 'linear' | 'fixed'
  /** Base delay of the backoff in milliseconds (default 1000). */
  backoffDelayMs?: number
}

export interface InfrastructureConfig {
  handler?: Partial<{ ram: number; cpu: number; timeout: number }>
  queue?: Partial<QueueConfig>
}

interface BaseClassicConfig {
  name: string
  description?: string
  flows?: string[]
  virtualEmits?: Emit[]
  virtualSubscribes?: string[]
  includeFiles?: string[]
}

export interface ApiRouteConfig extends BaseClassicConfig {
  type: 'api'
  path: string
  method: HttpMethod
  emits: Emit[]
  // biome-ignore lint/suspicious/noExplicitAny: middleware is generic over any request body
  middleware?: ApiMiddleware<any, any, any>[]
  bodySchema?: StepSchemaInput
  /** See {@link BodyType}; default `['json']` when there is a `bodySchema`. */
  bodyTypes?: BodyType[]
  responseSchema?: Record<number, StepSchemaInput>
  queryParams?: QueryParam[]
}

export interface EventConfig extends BaseClassicConfig {
  type: 'event'
  subscribes: string[]
  emits: Emit[]
  input?: StepSchemaInput
  infrastructure?: InfrastructureConfig
}

export interface CronConfig extends BaseClassicConfig {
  type: 'cron'
  cron: string
  emits: Emit[]
}

export interface NoopConfig {
  type: 'noop'
  name: string
  description?: string
  flows?: string[]
  virtualEmits: Emit[]
  virtualSubscribes: string[]
}

export type ClassicStepConfig = ApiRouteConfig | EventConfig | CronConfig | NoopConfig

// biome-ignore lint/suspicious/noExplicitAny: conditions receive whichever trigger's input fired
export type TriggerCondition = (input: any, ctx: FlowContext) => boolean | Promise<boolean>

export interface HttpTrigger {
  type: 'http' | 'api'
  path: string
  method: HttpMethod
  bodySchema?: StepSchemaInput
  /** See {@link BodyType}; default `['json']` when there is a `bodySchema`. */
  bodyTypes?: BodyType[]
  responseSchema?: Record<number, StepSchemaInput>
  queryParams?: QueryParam[]
  // biome-ignore lint/suspicious/noExplicitAny: see ApiRouteConfig
  middleware?: ApiMiddleware<any, any, any>[]
  condition?: TriggerCondition
}

export interface QueueTrigger {
  type: 'queue'
  topic: string
  input?: StepSchemaInput
  config?: Partial<QueueConfig>
  condition?: TriggerCondition
}

export interface CronTrigger {
  type: 'cron'
  expression: string
  condition?: TriggerCondition
}

export interface StateTrigger {
  type: 'state'
  condition?: TriggerCondition
}

export interface StreamTrigger {
  type: 'stream'
  streamName: string
  groupId?: string
  itemId?: string
  condition?: TriggerCondition
}

export type TriggerConfig = HttpTrigger | QueueTrigger | CronTrigger | StateTrigger | StreamTrigger

export interface TriggerStepConfig {
  name: string
  description?: string
  triggers: TriggerConfig[]
  enqueues?: Enqueue[]
  virtualEnqueues?: Enqueue[]
  virtualSubscribes?: string[]
  flows?: string[]
  includeFiles?: string[]
  infrastructure?: InfrastructureConfig
}

export type StepConfig = ClassicStepConfig | TriggerStepConfig
