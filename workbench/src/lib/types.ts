/** The JSON the workbench reads from the Worker's `/__stepflare/*` routes. */

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

export type TraceStatus = 'running' | 'completed' | 'failed'

export interface TraceSummary {
  traceId: string
  createdAt: number
  updatedAt: number
  entryStep: string
  entryKind: string
  flows: string[]
  status: TraceStatus
}

export interface SerializedError {
  name: string
  message: string
  stack?: string
  code?: string
  issues?: { path: string; message: string }[]
}

export interface LogRecord {
  level: string
  time: number
  msg: string
  [key: string]: unknown
}

export interface Run {
  id: number
  step: string
  trigger: { type: string; [key: string]: unknown }
  attempt: number
  status: 'completed' | 'failed' | 'skipped' | 'dead'
  startedAt: number
  endedAt: number
  error?: SerializedError
  reason?: string
  deliveryId?: string
  emits: { topic: string; data: unknown; messageGroupId?: string }[]
  stateOps: { op: string; group?: string; key?: string; at: number }[]
  streamOps?: { op: string; stream: string; groupId: string; id?: string; at: number }[]
  logs: LogRecord[]
  droppedLogs?: number
}

export interface Attempt {
  attempt: number
  startedAt: number
  endedAt: number
  error?: SerializedError
}

export interface Delivery {
  id: string
  step: string
  topic: string
  status: string
  attempts: number
  dueAt: number
  messageGroupId?: string
  history: Attempt[]
}

export interface Trace {
  traceId: string
  createdAt: number
  updatedAt: number
  flows: string[]
  entry: { step: string; kind: string }
  status: TraceStatus
  runs: Run[]
  deliveries: Delivery[]
}

export interface LogEntry {
  traceId: string
  runId: number
  seq: number
  step: string
  attempt: number
  level: string
  time: number
  msg: string
  meta: Record<string, unknown>
}

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

export interface DeadLetter {
  id: string
  traceId: string
  deliveryId: string
  step: string
  topic: string
  data: unknown
  flows: string[]
  error: SerializedError
  attempts: Attempt[]
  reason: string
  createdAt: number
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
