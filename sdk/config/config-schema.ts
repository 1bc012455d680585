/**
 * Strict zod schemas of both config styles. Unknown keys are errors, as in Motia's validator.
 * Used by the CLI only; the Worker never re-validates configs.
 * @module
 */
import { z } from 'zod'

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'] as const

const fn = z.custom<(...args: unknown[]) => unknown>((v) => typeof v === 'function', { message: 'expected a function' })

/** A zod schema (anything with `safeParse`) or a JSON Schema object. */
const schemaInput = z.custom<object>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), {
  message: 'expected a zod schema or a JSON Schema object',
})

const emit = z.union([z.string().min(1), z.strictObject({ topic: z.string().min(1), label: z.string().optional(), conditional: z.boolean().optional() })])

const name = z.string().min(1)
const flows = z.array(z.string()).optional()
const path = z.string().regex(/^\/?[^\s?#]*$/, { message: 'expected a path such as /orders/:id' })

const queueConfig = z.strictObject({
  type: z.enum(['fifo', 'standard']).optional(),
  maxRetries: z.int().min(0).max(100).optional(),
  visibilityTimeout: z.number().min(1).max(43200).optional(),
  delaySeconds: z.number().min(0).max(900).optional(),
  concurrency: z.int().min(1).optional(),
  backoffType: z.enum(['exponential', 'linear', 'fixed']).optional(),
  backoffDelayMs: z.number().min(0).optional(),
})

const infrastructure = z
  .strictObject({
    handler: z
      .strictObject({
        ram: z.number().min(128).max(10240).optional(),
        cpu: z.number().positive().optional(),
        timeout: z.number().min(1).max(900).optional(),
      })
      .optional(),
    queue: queueConfig.optional(),
  })
  .refine((v) => v.queue?.visibilityTimeout === undefined || v.handler?.timeout === undefined || v.queue.visibilityTimeout > v.handler.timeout, {
    message: 'expected queue.visibilityTimeout to be greater than handler.timeout',
    path: ['queue', 'visibilityTimeout'],
  })

const bodyTypes = z
  .array(z.enum(['json', 'form', 'multipart', 'text']))
  .min(1)
  .optional()
const queryParams = z.array(z.strictObject({ name: z.string().min(1), description: z.string().optional() })).optional()
const responseSchema = z.record(z.string().regex(/^\d{3}$/, { message: 'expected an HTTP status code' }), schemaInput).optional()

const classicBase = {
  name,
  description: z.string().optional(),
  flows,
  virtualEmits: z.array(emit).optional(),
  virtualSubscribes: z.array(z.string()).optional(),
  includeFiles: z.array(z.string()).optional(),
}

export const apiConfigSchema = z.strictObject({
  ...classicBase,
  type: z.literal('api'),
  path,
  method: z.enum(METHODS),
  emits: z.array(emit),
  middleware: z.array(fn).optional(),
  bodySchema: schemaInput.optional(),
  bodyTypes,
  responseSchema,
  queryParams,
})

export const eventConfigSchema = z.strictObject({
  ...classicBase,
  type: z.literal('event'),
  subscribes: z.array(z.string().min(1)).min(1),
  emits: z.array(emit),
  input: schemaInput.optional(),
  infrastructure: infrastructure.optional(),
})

export const cronConfigSchema = z.strictObject({
  ...classicBase,
  type: z.literal('cron'),
  cron: z.string().min(1),
  emits: z.array(emit),
})

export const noopConfigSchema = z.strictObject({
  type: z.literal('noop'),
  name,
  description: z.string().optional(),
  flows,
  virtualEmits: z.array(emit),
  virtualSubscribes: z.array(z.string()),
})

const condition = fn.optional()

const trigger = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.enum(['http', 'api']),
    path,
    method: z.enum(METHODS),
    bodySchema: schemaInput.optional(),
    bodyTypes,
    responseSchema,
    queryParams,
    middleware: z.array(fn).optional(),
    condition,
  }),
  z.strictObject({ type: z.literal('queue'), topic: z.string().min(1), input: schemaInput.optional(), config: queueConfig.optional(), condition }),
  z.strictObject({ type: z.literal('cron'), expression: z.string().min(1), condition }),
  z.strictObject({ type: z.literal('state'), condition }),
  z.strictObject({
    type: z.literal('stream'),
    streamName: z.string().min(1),
    groupId: z.string().optional(),
    itemId: z.string().optional(),
    condition,
  }),
])

export const triggersConfigSchema = z.strictObject({
  name,
  description: z.string().optional(),
  triggers: z.array(trigger),
  enqueues: z.array(emit).optional(),
  virtualEnqueues: z.array(emit).optional(),
  virtualSubscribes: z.array(z.string()).optional(),
  flows,
  includeFiles: z.array(z.string()).optional(),
  infrastructure: infrastructure.optional(),
})

export const classicSchemas = {
  api: apiConfigSchema,
  event: eventConfigSchema,
  cron: cronConfigSchema,
  noop: noopConfigSchema,
} as const
