/**
 * Collects what one attempt of a step did — logs, state operations, emits — so it can be committed
 * to the trace in one call when the attempt ends. Emits are held until then: an attempt that throws
 * delivers none of them.
 * @module
 */
import type { EmitRecord, RunRecord, SerializedError, StateOpRecord } from '../objects/trace/records'
import type { TriggerInfo } from '../sdk/context-types'
import type { LogRecord } from './logger'
import type { StreamOpRecord } from './streams/stream-client'

const MAX_LOGS = 200
const MAX_PREVIEW = 4096

export function preview(value: unknown): unknown {
  if (value === undefined) return undefined
  const s = JSON.stringify(value)
  if (s === undefined) return undefined
  return s.length <= MAX_PREVIEW ? value : { truncated: true, bytes: s.length, head: s.slice(0, 256) }
}

// Most runs log, touch and emit nothing: their lists stay this one shared empty array until the
// first entry, so a request allocates no arrays (four array literals per request were among what
// V8 pretenured on a busy Worker; see context.ts).
const NONE: never[] = Object.freeze([]) as unknown as never[]

export class RunRecorder {
  readonly startedAt = Date.now()
  // Read them, do not push: an empty one is the shared, frozen NONE (the methods below add entries).
  logs: LogRecord[] = NONE
  stateOps: StateOpRecord[] = NONE
  emits: EmitRecord[] = NONE
  streamOps: StreamOpRecord[] = NONE
  private droppedLogs = 0
  sealed = false
  /** The run's trace already has records in its shard (a state or stream change fired triggers): commit there too. */
  sharded = false

  constructor(
    readonly step: string,
    readonly trigger: TriggerInfo,
    readonly attempt = 1,
  ) {}

  log(record: LogRecord): void {
    if (this.sealed) return
    if (this.logs.length < MAX_LOGS) this.logs = append(this.logs, record)
    else this.droppedLogs++
  }

  stateOp(op: StateOpRecord): void {
    if (!this.sealed) this.stateOps = append(this.stateOps, op)
  }

  streamOp(op: StreamOpRecord): void {
    if (!this.sealed) this.streamOps = append(this.streamOps, op)
  }

  /** Returns false when the attempt has already ended (a late emit from a timed-out handler). */
  emit(e: EmitRecord): boolean {
    if (this.sealed) return false
    this.emits = append(this.emits, e)
    return true
  }

  finish(status: RunRecord['status'], error?: SerializedError): RunRecord {
    this.sealed = true
    // Optional fields are set only when present (no spread temporaries: this runs once per request).
    const record: RunRecord = {
      step: this.step,
      trigger: this.trigger,
      attempt: this.attempt,
      status,
      startedAt: this.startedAt,
      endedAt: Date.now(),
      emits: this.emits.length
        ? this.emits.map((e) => ({ topic: e.topic, data: preview(e.data), ...(e.messageGroupId ? { messageGroupId: e.messageGroupId } : {}) }))
        : NONE,
      stateOps: this.stateOps,
      logs: this.logs,
    }
    if (error) record.error = error
    if (this.streamOps.length) record.streamOps = this.streamOps
    if (this.droppedLogs) record.droppedLogs = this.droppedLogs
    return record
  }
}

/** Pushes onto `list`, first swapping the shared empty array for a list of its own. */
function append<T>(list: T[], item: T): T[] {
  const own = list === NONE ? [] : list
  own.push(item)
  return own
}
