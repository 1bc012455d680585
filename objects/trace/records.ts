/**
 * The records a trace keeps, as they cross RPC and reach `GET /__stepflare/traces/:id`.
 * @module
 */
import type { TriggerInfo } from '../../sdk/context-types'
import type { ValidationIssue } from '../../sdk/errors'

export interface SerializedError {
  name: string
  message: string
  stack?: string
  code?: string
  issues?: ValidationIssue[]
}

export interface StateOpRecord {
  op: 'get' | 'set' | 'delete' | 'getGroup' | 'clear' | 'update' | 'list' | 'listGroups'
  group?: string
  key?: string
  at: number
}

export interface EmitRecord {
  topic: string
  data: unknown
  messageGroupId?: string
}

export interface RunRecord {
  step: string
  trigger: TriggerInfo
  attempt: number
  status: 'completed' | 'failed' | 'skipped' | 'dead'
  startedAt: number
  endedAt: number
  error?: SerializedError
  /** Why a run was skipped: a duplicate delivery, a false trigger condition, an overlapping cron tick. */
  reason?: string
  deliveryId?: string
  emits: EmitRecord[]
  stateOps: StateOpRecord[]
  streamOps?: { op: string; stream: string; groupId: string; id?: string; at: number }[]
  logs: unknown[]
  droppedLogs?: number
}

/** `waiting`: a FIFO delivery whose group's FifoObject has not released it yet. */
export type DeliveryStatus = 'waiting' | 'queued' | 'running' | 'retrying' | 'done' | 'skipped' | 'dead'

export interface AttemptRecord {
  attempt: number
  startedAt: number
  endedAt: number
  error?: SerializedError
}

export interface DeliveryView {
  id: string
  step: string
  topic: string
  status: DeliveryStatus
  attempts: number
  /** When the next attempt is due (retrying) or was queued. */
  dueAt: number
  messageGroupId?: string
  history: AttemptRecord[]
}

export type TraceStatus = 'running' | 'completed' | 'failed'

export interface TraceView {
  traceId: string
  createdAt: number
  updatedAt: number
  flows: string[]
  entry: { step: string; kind: string }
  status: TraceStatus
  runs: (RunRecord & { id: number })[]
  deliveries: DeliveryView[]
}

export interface TraceSummary {
  traceId: string
  createdAt: number
  updatedAt: number
  entryStep: string
  entryKind: string
  flows: string[]
  status: TraceStatus
}

export interface DeadLetter {
  id: string
  traceId: string
  deliveryId: string
  step: string
  topic: string
  data: unknown
  messageGroupId?: string
  flows: string[]
  error: SerializedError
  attempts: AttemptRecord[]
  reason: 'retries-exhausted' | 'invalid-input' | 'platform' | 'step-missing'
  createdAt: number
}

/** One log record of a run, as the workbench's log feed lists it (`GET /__stepflare/logs`). */
export interface LogEntry {
  traceId: string
  runId: number
  /** Position of the record within its run: with traceId and runId, a stable key. */
  seq: number
  step: string
  attempt: number
  level: string
  time: number
  msg: string
  meta: Record<string, unknown>
}
