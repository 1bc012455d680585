/** The JSON the workbench reads from the Worker's `/__stepflare/*` routes. */

import type * as Records from '../../../objects/trace/records'

export type JsonSchema = {
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  items?: JsonSchema
  enum?: unknown[]
  const?: unknown
  default?: unknown
  description?: string
  format?: string
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  minimum?: number
  exclusiveMinimum?: number
  [key: string]: unknown
}

export interface EmitSpec {
  topic: string
  label?: string
  conditional?: boolean
}

export type Trigger =
  | {
      type: 'http'
      method: string
      path: string
      queryParams?: { name: string; description?: string }[]
      middleware?: number
      bodySchema?: JsonSchema
      responseSchema?: Record<string, JsonSchema>
      conditional?: boolean
    }
  | { type: 'queue'; topic: string; input?: JsonSchema; queue?: Record<string, unknown>; conditional?: boolean }
  | { type: 'cron'; expression: string; seconds?: boolean; conditional?: boolean }
  | { type: 'state'; conditional?: boolean }
  | { type: 'stream'; streamName: string; groupId?: string; itemId?: string; conditional?: boolean }

export interface Step {
  name: string
  file: string
  kind: 'api' | 'event' | 'cron' | 'noop' | 'multi'
  language: 'typescript' | 'python'
  style: 'classic' | 'triggers'
  description?: string
  flows: string[]
  emits: EmitSpec[]
  emitsAny?: boolean
  virtualEmits: EmitSpec[]
  virtualSubscribes: string[]
  triggers: Trigger[]
  timeoutMs?: number
}

export interface Manifest {
  version: 1
  steps: Step[]
  streams: { name: string; schema?: JsonSchema }[]
}

// The trace records are the Worker's own types (objects/trace/records.ts), imported for their shape
// only; the workbench narrows the two fields it reads more precisely than the Worker types them.
export type TraceStatus = Records.TraceStatus
export type TraceSummary = Records.TraceSummary
export type SerializedError = Records.SerializedError
export type Attempt = Records.AttemptRecord
export type Delivery = Records.DeliveryView
export type DeadLetter = Records.DeadLetter

export interface LogRecord {
  level: string
  time: number
  msg: string
  [key: string]: unknown
}

export interface Run extends Omit<Records.RunRecord, 'logs' | 'trigger'> {
  id: number
  trigger: { type: string; [key: string]: unknown }
  logs: LogRecord[]
}

export interface Trace extends Omit<Records.TraceView, 'runs'> {
  runs: Run[]
}

export type LogEntry = Records.LogEntry

export interface QueueRow {
  step: string
  topics: string[]
  type: 'standard' | 'fifo'
  pending: number
  inFlight: number
  retrying: number
  completed: number
  dead: number
}

export interface CronRow {
  step: string
  expression: string
  running: boolean
  lastRun?: { at: number; runId: string; status: string }
}

export interface StreamInfo {
  name: string
  schema?: JsonSchema
  groups: { stream: string; groupId: string; lastAt: number; ops: number }[]
}
