/**
 * What the Worker tells a trace shard, one item per delivery or entry run. The queue consumer
 * sends a whole batch's items for one shard in one call (`beginMany`, `settleMany`).
 * @module
 */
import type { EventMessage } from '../../worker/queue/messages'
import type { DeadLetter, EmitRecord, RunRecord, SerializedError } from './records'

export interface CommitInput {
  traceId: string
  flows: string[]
  /** The step and kind that started the trace; used when this commit creates it. */
  entry: { step: string; kind: string }
  run: RunRecord
  emits: EmitRecord[]
  /** The delivery this run completes (event steps). */
  deliveryId?: string
  /** The trace id was made for this run (an API request, a cron tick): no row to look for. */
  fresh?: true
}

export interface BeginRequest {
  msg: EventMessage
  /** How long the attempt may run before its delivery counts as lost. */
  leaseMs: number
}

export type BeginStarted = { run: true; attempt: number; data: unknown; flows: string[]; messageGroupId?: string }

export type BeginResult = BeginStarted | { run: false; reason: 'completed' | 'dead' | 'in-flight' | 'unknown' }

/**
 * A delivery a completed run's emit created that the settling consumer runs itself, now, in the
 * same invocation: begun in the same write (status running, under a lease), so no queue message
 * is sent for it; if the consumer dies, the lease runs out and the shard sends it as usual.
 */
export interface ClaimedDelivery {
  msg: EventMessage
  begun: BeginStarted
}

/** The end of a run: committed (its emits delivered), failed (retried later), dead, or skipped. */
export type Outcome =
  | ({ kind: 'completed' } & CommitInput)
  | { kind: 'failed'; deliveryId: string; run: RunRecord; retryInMs: number }
  | { kind: 'dead'; deliveryId: string; run: RunRecord | null; error: SerializedError; reason: DeadLetter['reason'] }
  | { kind: 'skipped'; deliveryId: string; run: RunRecord }

export interface SettleResult {
  /** Deliveries created by a completed run's emits. */
  deliveries: number
  /** The run completed a delivery that was not running: recorded as skipped, nothing delivered. */
  duplicate?: true
  deadLetter?: DeadLetter
  /** Deliveries the caller asked to run itself (`settleMany`'s `claim`), already begun. */
  claimed?: ClaimedDelivery[]
}

export interface StepQueueCounts {
  pending: number
  inFlight: number
  retrying: number
  completed: number
}
