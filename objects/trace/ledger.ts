/**
 * The bookkeeping under a trace shard's operations: each operation is a unit of work (a
 * {@link Batch}) that reads and changes trace rows (cached write-through), queues run records and
 * deliveries, and is then written in a few statements ({@link TraceLedger.write}) and followed by
 * its effects — dead letters indexed, FIFO heads released, messages sent ({@link TraceLedger.after}).
 * TraceObject (objects/trace-object.ts) builds its RPC methods on it.
 * @module
 */
import { indexStub, type StepflareEnv } from '../../worker/env'
import { getRuntime } from '../../worker/runtime'
import { fifoName } from '../fifo-object'
import type { Batch } from './batch'
import { insertDeliveries, insertRuns } from './bulk'
import { appendHistory, type DeliveryRow, setStatus } from './deliveries'
import type { DeadLetter, RunRecord, SerializedError } from './records'
import { sendDeliveries } from './send'
import { TraceShardBase } from './shard-base'
import { getTrace, newTraceRow, saveTraces, type TraceRow } from './traces'

/** How long a finished trace keeps its record (project `traces.retainHours`, default 24). */
export function retentionMs(): number {
  return (getRuntime().config.traces?.retainHours ?? 24) * 3_600_000
}

/** How many trace rows a shard keeps in memory. */
const ROW_CACHE = 5_000

/**
 * Tells this isolate's rows from an earlier one's under `stepflare dev`: a reload of the dev server
 * ends every running handler (and the local queue's messages) without ending the process. Random
 * values are not allowed at global scope, so it is made on first use.
 */
let isolateId: string | undefined

export abstract class TraceLedger extends TraceShardBase {
  protected alarmAt: number | null = null
  /** Write-through copies of recently used trace rows (the shard is their only writer). */
  protected readonly rows = new Map<string, TraceRow>()
  private lastId = 0

  constructor(ctx: DurableObjectState, env: StepflareEnv) {
    super(ctx, env)
    ctx.blockConcurrencyWhile(async () => {
      this.alarmAt = await ctx.storage.getAlarm()
    })
  }

  /** A write rolled back: trace rows may have been changed in memory and not saved. */
  protected override writeFailed(): void {
    this.rows.clear()
  }

  protected bootId(): string {
    const boot = this.env.STEPFLARE_BOOT_ID
    if (!boot) return ''
    isolateId ??= crypto.randomUUID().slice(0, 8)
    return `${boot}:${isolateId}`
  }

  /**
   * Ids of runs and deliveries: unique and increasing within the shard, across restarts too
   * (microseconds of the clock, or one more than the last when the clock has not moved).
   */
  protected nextId(): number {
    this.lastId = Math.max(Date.now() * 1000, this.lastId + 1)
    return this.lastId
  }

  /**
   * The trace's row for this unit of work; created when `create` is given and it does not exist
   * (`fresh`: the caller made the id just now, so there is no row to look for).
   */
  protected trace(b: Batch, traceId: string, create?: { flows: string[]; entry: { step: string; kind: string } }, fresh?: boolean): TraceRow | undefined {
    const touched = b.traces.get(traceId)
    if (touched) return touched.row
    const row = this.rows.get(traceId) ?? (fresh ? undefined : getTrace(this.sql, traceId))
    if (row) {
      b.traces.set(traceId, { row, isNew: false, changed: false, was: { active: row.active, failed: row.failed } })
      return row
    }
    if (!create) return undefined
    const made = newTraceRow(traceId, create.flows, create.entry)
    b.traces.set(traceId, { row: made, isNew: true, changed: true, was: { active: 0, failed: 0 } })
    return made
  }

  protected changed(b: Batch, traceId: string): TraceRow | undefined {
    const row = this.trace(b, traceId)
    const touched = b.traces.get(traceId)
    if (touched) touched.changed = true
    return row
  }

  protected remember(row: TraceRow): void {
    this.rows.delete(row.trace_id)
    this.rows.set(row.trace_id, row)
    if (this.rows.size > ROW_CACHE) this.rows.delete(this.rows.keys().next().value as string)
  }

  /** Queues a run record; the unit of work writes its runs in one statement at its end. */
  protected insertRun(b: Batch, traceId: string, run: RunRecord): void {
    b.runs.push({
      trace_id: traceId,
      id: this.nextId(),
      step: run.step,
      delivery_id: run.deliveryId ?? null,
      status: run.status,
      started_at: run.startedAt,
      record: JSON.stringify(run),
    })
  }

  protected bury(b: Batch, row: DeliveryRow, run: RunRecord | null, error: SerializedError, reason: DeadLetter['reason']): DeadLetter {
    const trace = this.changed(b, row.trace_id)
    if (run) this.insertRun(b, row.trace_id, { ...run, status: 'dead', deliveryId: row.id })
    const now = Date.now()
    const history = appendHistory(row, { attempt: row.attempts, startedAt: run?.startedAt ?? now, endedAt: run?.endedAt ?? now, error })
    setStatus(this.sql, row.id, 'dead', { history })
    if (row.fifo) b.release.push(row)
    if (trace) trace.failed = 1
    const dl: DeadLetter = {
      id: row.id,
      traceId: row.trace_id,
      deliveryId: row.id,
      step: row.step,
      topic: row.topic,
      data: JSON.parse(row.data),
      ...(row.group_id ? { messageGroupId: row.group_id } : {}),
      flows: trace ? (JSON.parse(trace.flows) as string[]) : [],
      error,
      attempts: JSON.parse(history),
      reason,
      createdAt: now,
    }
    b.deadLetters.push(dl)
    return dl
  }

  /** Ends a unit of work: {@link write}, then {@link after}. */
  protected async finish(b: Batch): Promise<void> {
    this.write(b)
    await this.after(b)
  }

  /**
   * Writes a unit of work's runs and new deliveries, saves the touched traces (their status
   * follows their open deliveries) and keeps the alarm current.
   */
  protected write(b: Batch): void {
    const now = Date.now()
    insertRuns(this.sql, b.runs)
    insertDeliveries(this.sql, b.inserts)
    const changed = [...b.traces.values()].filter((t) => t.changed)
    saveTraces(this.sql, changed, now)
    for (const t of changed) {
      // Idle from now on: the alarm will purge its record when its retention ends.
      if (!t.row.active && (t.was.active || t.isNew)) b.wake(now + retentionMs())
      this.remember(t.row)
    }
    if (b.wakeAt !== null) this.scheduleAlarm(b.wakeAt)
  }

  /**
   * Once a unit of work is written: indexes its dead letters, releases FIFO heads and sends. A
   * release that fails does not hold the sends back; its FifoObject sends the head again after a
   * while, and TraceObject.refuse releases a finished head whose message comes back.
   */
  protected async after(b: Batch): Promise<void> {
    for (const dl of b.deadLetters) this.ctx.waitUntil(indexStub(this.env).addDeadLetter(dl))
    for (const row of b.release) {
      try {
        await this.env.STEPFLARE_FIFO.getByName(fifoName(row.step, row.group_id ?? '')).release(row.id)
      } catch (err) {
        console.error(
          JSON.stringify({
            level: 'error',
            msg: 'releasing a FIFO head failed; its group resumes when the head is sent again',
            delivery: row.id,
            error: String(err),
          }),
        )
      }
    }
    await this.send(b.send)
  }

  /** {@link after}, without making the caller wait: a failure is logged and the alarm comes soon. */
  protected afterInBackground(b: Batch): void {
    this.ctx.waitUntil(
      this.after(b).catch((err) => {
        console.error(JSON.stringify({ level: 'error', msg: 'releasing FIFO groups or sending after a commit failed', error: String(err) }))
        this.scheduleAlarm(Date.now() + 1_000)
      }),
    )
  }

  protected async send(rows: DeliveryRow[]): Promise<void> {
    if (rows.length > 0 && !(await sendDeliveries(this.env, this.sql, rows))) this.scheduleAlarm(Date.now() + 1_000)
  }

  protected scheduleAlarm(at: number): void {
    if (this.alarmAt !== null && this.alarmAt <= at) return
    this.alarmAt = at
    this.ctx.storage.setAlarm(at)
  }
}
