/**
 * The bindings the generated wrangler configuration gives the Worker. User bindings sit beside them.
 * @module
 */
import type { FifoObject } from '../objects/fifo-object'
import type { IndexObject } from '../objects/index-object'
import type { SchedulerObject } from '../objects/scheduler-object'
import type { StateObject } from '../objects/state-object'
import type { StreamHub } from '../objects/stream-hub'
import type { StreamObject } from '../objects/stream-object'
import { allTraceShardNames, shardCount, traceShardName } from '../objects/trace/shards'
import type { TraceObject } from '../objects/trace-object'
import type { EventMessage } from './queue/messages'
import { getRuntime } from './runtime'

export interface StepflareEnv {
  STEPFLARE_QUEUE: Queue<EventMessage>
  STEPFLARE_TRACE: DurableObjectNamespace<TraceObject>
  STEPFLARE_STATE: DurableObjectNamespace<StateObject>
  STEPFLARE_INDEX: DurableObjectNamespace<IndexObject>
  STEPFLARE_SCHEDULER: DurableObjectNamespace<SchedulerObject>
  STEPFLARE_FIFO: DurableObjectNamespace<FifoObject>
  STEPFLARE_STREAM: DurableObjectNamespace<StreamObject>
  STEPFLARE_HUB: DurableObjectNamespace<StreamHub>
  /** Set by `stepflare dev`: enables permissive CORS and the system routes without a token. */
  STEPFLARE_DEV?: string
  /** A fresh id per `stepflare dev` start: work begun under another boot id died with that process. */
  STEPFLARE_BOOT_ID?: string
  /** Set by `stepflare dev`: its loopback helper (source-mapping stacks for the workbench). */
  STEPFLARE_DEV_TOOLS_URL?: string
  LOG_LEVEL?: string
  /** Names of stepflare's queues, set by the generated configuration. */
  STEPFLARE_EVENTS_QUEUE?: string
  STEPFLARE_DEAD_LETTER_QUEUE?: string
  [binding: string]: unknown
}

export const INDEX_NAME = 'index'

export function indexStub(env: StepflareEnv) {
  return env.STEPFLARE_INDEX.getByName(INDEX_NAME)
}

/** How many trace shards this Worker has (objects/trace/shards.ts). */
export function traceShards(env: StepflareEnv): number {
  return shardCount(Boolean(env.STEPFLARE_DEV), getRuntime().config.traces?.shards)
}

/** The trace shard that hosts `traceId`. */
export function traceStub(env: StepflareEnv, traceId: string) {
  return env.STEPFLARE_TRACE.getByName(traceShardName(traceId, traceShards(env)))
}

export function allTraceStubs(env: StepflareEnv) {
  return allTraceShardNames(traceShards(env)).map((name) => env.STEPFLARE_TRACE.getByName(name))
}
