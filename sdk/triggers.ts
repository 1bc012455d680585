/**
 * Trigger helpers of the triggers style (Motia 1.x): `http`, `queue`, `cron`, `state`, `stream`,
 * plus `step(config, handler)` to keep a config and its handler together.
 * @module
 */
import type { CronTrigger, HttpMethod, HttpTrigger, QueueTrigger, StateTrigger, StreamTrigger, TriggerCondition, TriggerStepConfig } from './types'

export function http(
  method: HttpMethod,
  path: string,
  options: Omit<HttpTrigger, 'type' | 'method' | 'path' | 'condition'> = {},
  condition?: TriggerCondition,
): HttpTrigger {
  return { type: 'http', method, path, ...options, ...(condition ? { condition } : {}) }
}

/** @deprecated Motia's pre-rc.20 name of {@link http}. */
export const api = http

export function queue(topic: string, options: Omit<QueueTrigger, 'type' | 'topic' | 'condition'> = {}, condition?: TriggerCondition): QueueTrigger {
  return { type: 'queue', topic, ...options, ...(condition ? { condition } : {}) }
}

export function cron(expression: string, condition?: TriggerCondition): CronTrigger {
  return { type: 'cron', expression, ...(condition ? { condition } : {}) }
}

export function state(condition?: TriggerCondition): StateTrigger {
  return { type: 'state', ...(condition ? { condition } : {}) }
}

export function stream(streamName: string, options: Omit<StreamTrigger, 'type' | 'streamName'> | TriggerCondition = {}): StreamTrigger {
  return typeof options === 'function' ? { type: 'stream', streamName, condition: options } : { type: 'stream', streamName, ...options }
}

export function step<C extends TriggerStepConfig, H>(config: C, handler: H): { config: C; handler: H } {
  return { config, handler }
}

/** Motia's `jsonSchema(zod)`: stepflare accepts zod schemas directly, so this is the identity. */
export function jsonSchema<T>(schema: T): T {
  return schema
}
