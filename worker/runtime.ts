/**
 * The step registry of one Worker: built once per isolate by `createWorker` from the generated
 * entry's imports, and read by the router, the consumer, the cron dispatcher and the objects
 * (which share the isolate's module scope).
 * @module
 */

import {
  type CronTriggerModel,
  DEFAULT_QUEUE,
  type HttpTriggerModel,
  type QueueTriggerModel,
  type StateTriggerModel,
  type StepModel,
  type StreamTriggerModel,
} from '../sdk/config/model'
import { normalizeStep } from '../sdk/config/normalize'
import type { ProjectConfig } from '../sdk/project-config'
import type { StreamConfig } from '../sdk/stream-types'
import type { StepConfig } from '../sdk/types'
import { loadStreams, type StreamModuleEntry } from './streams/registry'

export interface StepModuleEntry {
  /** Path relative to the project root. */
  file: string
  module: Record<string, unknown>
}

export interface AppDefinition {
  steps: StepModuleEntry[]
  streams?: StreamModuleEntry[]
  config?: ProjectConfig
}

// biome-ignore lint/suspicious/noExplicitAny: handlers have step-specific signatures
export type AnyHandler = (...args: any[]) => unknown

export interface StepEntry {
  model: StepModel
  handler?: AnyHandler
}

export interface Subscription {
  step: StepEntry
  trigger: QueueTriggerModel
  /** Set for a state or stream trigger, delivered as events of its own internal topic. */
  source?: StateTriggerModel | StreamTriggerModel
}

/** A state or stream trigger of a step, and the internal topic its changes are delivered on. */
export interface ChangeBinding {
  step: StepEntry
  trigger: StateTriggerModel | StreamTriggerModel
  topic: string
}

/** The internal topic of a step's state or stream trigger (never a user topic: it starts with `__`). */
export function changeTopic(step: string, index: number): string {
  return `__change:${step}:${index}`
}

export interface CronBinding {
  step: StepEntry
  trigger: CronTriggerModel
}

export interface RouteBinding {
  step: StepEntry
  trigger: HttpTriggerModel
}

export class Runtime {
  readonly steps = new Map<string, StepEntry>()
  private readonly topics = new Map<string, Subscription[]>()
  readonly routes: RouteBinding[] = []
  readonly crons: CronBinding[] = []
  /** State triggers (Motia 1.x `state()`): every state change is delivered to each. */
  readonly stateTriggers: ChangeBinding[] = []
  /** Stream triggers (Motia 1.x `stream()`), with their stream, group and item filters. */
  readonly streamTriggers: ChangeBinding[] = []
  readonly streams: Map<string, StreamConfig>

  constructor(
    def: AppDefinition,
    readonly config: ProjectConfig = def.config ?? {},
  ) {
    this.streams = loadStreams(def.streams)
    const q = this.config.queue ?? {}
    const queueDefaults = {
      ...(q.maxRetries !== undefined ? { maxRetries: q.maxRetries } : {}),
      ...(q.backoffDelayMs !== undefined ? { backoffDelayMs: q.backoffDelayMs } : {}),
    }
    for (const { file, module } of def.steps) {
      const source = (module.config ? module : (module.default as Record<string, unknown> | undefined)) ?? module
      const model = normalizeStep(source.config as StepConfig, { file, queueDefaults, language: file.endsWith('.py') ? 'python' : 'typescript' })
      const entry: StepEntry = { model, handler: source.handler as AnyHandler | undefined }
      this.steps.set(model.name, entry)
      model.triggers.forEach((trigger, index) => {
        if (trigger.type === 'queue') this.subscribe(trigger.topic, { step: entry, trigger })
        else if (trigger.type === 'http') this.routes.push({ step: entry, trigger })
        else if (trigger.type === 'cron') this.crons.push({ step: entry, trigger })
        else {
          // Delivered like events (retries, dead letters, the trace), on a topic of its own.
          const topic = changeTopic(model.name, index)
          const queue = { ...DEFAULT_QUEUE, ...queueDefaults }
          this.subscribe(topic, { step: entry, trigger: { type: 'queue', topic, queue, condition: trigger.condition }, source: trigger })
          ;(trigger.type === 'state' ? this.stateTriggers : this.streamTriggers).push({ step: entry, trigger, topic })
        }
      })
    }
  }

  private subscribe(topic: string, sub: Subscription): void {
    const list = this.topics.get(topic) ?? []
    list.push(sub)
    this.topics.set(topic, list)
  }

  subscribersOf(topic: string): Subscription[] {
    return this.topics.get(topic) ?? []
  }

  /** The queue trigger by which `step` receives `topic`. */
  subscription(stepName: string, topic: string): Subscription | undefined {
    return this.subscribersOf(topic).find((s) => s.step.model.name === stepName)
  }

  models(): StepModel[] {
    return [...this.steps.values()].map((s) => s.model)
  }
}

let current: Runtime | undefined

export function setRuntime(rt: Runtime): void {
  current = rt
}

export function getRuntime(): Runtime {
  if (!current) throw new Error('stepflare runtime is not initialised: the Worker entry must call createWorker() at module scope')
  return current
}
