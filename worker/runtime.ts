/**
 * The step registry of one Worker: built once per isolate by `createWorker` from the generated
 * entry's imports, and read by the router, the consumer, the cron dispatcher and the objects
 * (which share the isolate's module scope).
 * @module
 */

import type { CronTriggerModel, HttpTriggerModel, QueueTriggerModel, StepModel } from '../sdk/config/model'
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
      for (const trigger of model.triggers) {
        if (trigger.type === 'queue') {
          const list = this.topics.get(trigger.topic) ?? []
          list.push({ step: entry, trigger })
          this.topics.set(trigger.topic, list)
        } else if (trigger.type === 'http') this.routes.push({ step: entry, trigger })
        else if (trigger.type === 'cron') this.crons.push({ step: entry, trigger })
      }
    }
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
