/**
 * Turns a step module's `config` (classic or triggers style) into a {@link StepModel}.
 * It assumes the config already passed `validateStepConfig`; it does not re-check shapes.
 * @module
 */
import type { Emit, InfrastructureConfig, StepConfig, TriggerConfig } from '../types'
import { DEFAULT_QUEUE, type EmitSpec, type QueueSettings, type StepModel, type TriggerModel } from './model'

export function toEmitSpecs(emits: readonly Emit[] | undefined): EmitSpec[] {
  return (emits ?? []).map((e) => (typeof e === 'string' ? { topic: e } : { ...e }))
}

/** A 6-field expression has a leading seconds field; 5 fields is what Cron Triggers take. */
export function cronHasSeconds(expression: string): boolean {
  return expression.trim().split(/\s+/).length >= 6
}

function queueSettings(infra: InfrastructureConfig | undefined, override: Partial<QueueSettings> | undefined, defaults: Partial<QueueSettings>): QueueSettings {
  const merged = { ...DEFAULT_QUEUE, ...defaults, ...(infra?.queue ?? {}), ...(override ?? {}) }
  return {
    type: merged.type === 'fifo' ? 'fifo' : 'standard',
    maxRetries: merged.maxRetries,
    delaySeconds: merged.delaySeconds,
    visibilityTimeout: merged.visibilityTimeout,
    backoffType: merged.backoffType ?? 'exponential',
    backoffDelayMs: merged.backoffDelayMs ?? 1000,
    ...(merged.concurrency !== undefined ? { concurrency: merged.concurrency } : {}),
  }
}

function normalizeTrigger(t: TriggerConfig, infra: InfrastructureConfig | undefined, queueDefaults: Partial<QueueSettings>): TriggerModel {
  switch (t.type) {
    case 'http':
    case 'api':
      return {
        type: 'http',
        method: t.method,
        path: t.path.startsWith('/') ? t.path : `/${t.path}`,
        bodySchema: t.bodySchema,
        ...(t.bodySchema ? { bodyTypes: t.bodyTypes ?? ['json'] } : {}),
        responseSchema: t.responseSchema,
        queryParams: t.queryParams ?? [],
        middleware: t.middleware ?? [],
        condition: t.condition,
      }
    case 'queue':
      return { type: 'queue', topic: t.topic, input: t.input, queue: queueSettings(infra, t.config, queueDefaults), condition: t.condition }
    case 'cron':
      return { type: 'cron', expression: t.expression, seconds: cronHasSeconds(t.expression), condition: t.condition }
    case 'state':
      return { type: 'state', condition: t.condition }
    case 'stream':
      return { type: 'stream', streamName: t.streamName, groupId: t.groupId, itemId: t.itemId, condition: t.condition }
  }
}

export interface NormalizeOptions {
  file: string
  language?: 'typescript' | 'python'
  queueDefaults?: Partial<QueueSettings>
}

export function normalizeStep(config: StepConfig, options: NormalizeOptions): StepModel {
  const { file, language = 'typescript', queueDefaults = {} } = options
  const base = {
    name: config.name,
    file,
    language,
    description: config.description,
    flows: config.flows ?? [],
    virtualSubscribes: config.virtualSubscribes ?? [],
  }
  if ('triggers' in config) {
    const triggers = config.triggers.map((t) => normalizeTrigger(t, config.infrastructure, queueDefaults))
    const kinds = new Set(triggers.map((t) => t.type))
    const only = kinds.size === 1 ? [...kinds][0] : undefined
    const kind = only === 'http' ? 'api' : only === 'queue' ? 'event' : only === 'cron' ? 'cron' : triggers.length === 0 ? 'noop' : 'multi'
    const timeout = config.infrastructure?.handler?.timeout
    return {
      ...base,
      style: 'triggers',
      kind,
      emits: toEmitSpecs(config.enqueues),
      emitsAny: !config.enqueues || config.enqueues.length === 0,
      virtualEmits: toEmitSpecs(config.virtualEnqueues),
      triggers,
      ...(timeout ? { timeoutMs: timeout * 1000 } : {}),
    }
  }
  const common = { ...base, style: 'classic' as const, virtualEmits: toEmitSpecs(config.virtualEmits) }
  switch (config.type) {
    case 'api':
      return {
        ...common,
        kind: 'api',
        emits: toEmitSpecs(config.emits),
        emitsAny: config.emits.length === 0,
        triggers: [
          normalizeTrigger(
            {
              type: 'http',
              method: config.method,
              path: config.path,
              bodySchema: config.bodySchema,
              bodyTypes: config.bodyTypes,
              responseSchema: config.responseSchema,
              queryParams: config.queryParams,
              middleware: config.middleware,
            },
            undefined,
            queueDefaults,
          ),
        ],
      }
    case 'event': {
      const timeout = config.infrastructure?.handler?.timeout
      return {
        ...common,
        kind: 'event',
        emits: toEmitSpecs(config.emits),
        emitsAny: config.emits.length === 0,
        triggers: config.subscribes.map((topic) => normalizeTrigger({ type: 'queue', topic, input: config.input }, config.infrastructure, queueDefaults)),
        ...(timeout ? { timeoutMs: timeout * 1000 } : {}),
      }
    }
    case 'cron':
      return {
        ...common,
        kind: 'cron',
        emits: toEmitSpecs(config.emits),
        emitsAny: config.emits.length === 0,
        triggers: [normalizeTrigger({ type: 'cron', expression: config.cron }, undefined, queueDefaults)],
      }
    case 'noop':
      return { ...common, kind: 'noop', emits: [], emitsAny: false, triggers: [] }
  }
}

/** Topics a step can emit, for graph edges: real and virtual. */
export function emittedTopics(step: StepModel): string[] {
  return [...step.emits, ...step.virtualEmits].map((e) => e.topic)
}

/** Topics a step subscribes to through queue triggers. */
export function subscribedTopics(step: StepModel): string[] {
  return step.triggers.flatMap((t) => (t.type === 'queue' ? [t.topic] : []))
}
