/**
 * TraceObject: one Durable Object per trace. It is the trace's durable record (every step run) and
 * its coordinator: a step's emits are committed here, fanned out into one delivery per subscribing
 * step and sent to the queue; each delivery is begun, completed, retried or dead-lettered here, so
 * a duplicate is recognised and a lost message is sent again (by alarm, or `recover` after a
 * restart of `stepflare dev`). It also holds the state groups named by its trace id.
 * @module
 */
import { DurableObject } from 'cloudflare:workers'
import type { UpdateOp } from '../sdk/context-types'
import { indexStub, type StepflareEnv } from '../worker/env'
import type { EventMessage } from '../worker/queue/messages'
import { getRuntime } from '../worker/runtime'
import { type FifoItem, fifoName } from './fifo-object'
import { STATE_TABLE, type StateRpc, StateStore } from './state-store'
import {
  appendHistory,
  DELIVERIES_TABLE,
  type DeliveryRow,
  getDelivery,
  HAS_SENT_COLUMN,
  markSent,
  migrateDeliveriesTable,
  openSummary,
  redispatchAt,
  setStatus,
  toDeliveryView,
  unfinishedDeliveries,
} from './trace/deliveries'
import type { DeadLetter, EmitRecord, RunRecord, SerializedError, TraceStatus, TraceView } from './trace/records'

/** How long a finished trace keeps its record (project `traces.retainHours`, default 24). */
function retentionMs(): number {
  return (getRuntime().config.traces?.retainHours ?? 24) * 3_600_000
}

const RUNS_TABLE = `CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT, step TEXT NOT NULL, delivery_id TEXT, status TEXT NOT NULL,
  started_at INTEGER NOT NULL, record TEXT NOT NULL)`

/**
 * Tells this isolate's rows from an earlier one's under `stepflare dev`: a reload of the dev server
 * ends every running handler (and the local queue's messages) without ending the process. Random
 * values are not allowed at global scope, so it is made on first use.
 */
let isolateId: string | undefined

export interface CommitInput {
  traceId: string
  flows: string[]
  /** The step and kind that started the trace; used when this commit creates it. */
  entry: { step: string; kind: string }
  run: RunRecord
  emits: EmitRecord[]
  /** The delivery this run completes (event steps). */
  deliveryId?: string
}

export type BeginResult =
  | { run: true; attempt: number; data: unknown; flows: string[]; messageGroupId?: string }
  | { run: false; reason: 'completed' | 'dead' | 'in-flight' | 'unknown' }

interface Meta {
  traceId: string
  createdAt: number
  flows: string[]
  entry: { step: string; kind: string }
  seq: number
  active: boolean
  failed: boolean
  /** Completed deliveries per step already added to the index's totals. */
  reported?: Record<string, number>
}

export interface StepQueueCounts {
  pending: number
  inFlight: number
  retrying: number
  /** Completed deliveries not yet added to the index's totals. */
  completed: number
}

export class TraceObject extends DurableObject<StepflareEnv> implements StateRpc {
  private readonly sql: SqlStorage
  private readonly state: StateStore
  private meta: Meta | undefined
  private alarmAt: number | null = null

  constructor(ctx: DurableObjectState, env: StepflareEnv) {
    super(ctx, env)
    this.sql = ctx.storage.sql
    this.meta = ctx.storage.kv.get<Meta>('meta')
    // One call for the whole schema: most trace objects are new, and each `exec` has a fixed cost.
    const { current } = this.sql.exec<{ current: number }>(`${RUNS_TABLE}; ${DELIVERIES_TABLE}; ${STATE_TABLE}; ${HAS_SENT_COLUMN}`).one()
    migrateDeliveriesTable(this.sql, current > 0)
    this.state = new StateStore(this.sql, true)
  }

  private bootId(): string {
    const boot = this.env.STEPFLARE_BOOT_ID
    if (!boot) return ''
    isolateId ??= crypto.randomUUID().slice(0, 8)
    return `${boot}:${isolateId}`
  }

  private saveMeta(meta: Meta): void {
    this.meta = meta
    this.ctx.storage.kv.put('meta', meta)
  }

  private ensureMeta(traceId: string, flows: string[], entry: { step: string; kind: string }): Meta {
    if (this.meta) return this.meta
    const meta: Meta = { traceId, createdAt: Date.now(), flows, entry, seq: 0, active: false, failed: false }
    this.saveMeta(meta)
    return meta
  }

  private insertRun(run: RunRecord): void {
    this.sql.exec(
      'INSERT INTO runs (step, delivery_id, status, started_at, record) VALUES (?, ?, ?, ?, ?)',
      run.step,
      run.deliveryId ?? null,
      run.status,
      run.startedAt,
      JSON.stringify(run),
    )
  }

  /** Records a finished run; when it succeeded, fans its emits out into deliveries and sends them. */
  async commit(input: CommitInput): Promise<{ deliveries: number; duplicate?: true }> {
    const isNew = !this.meta
    const meta = this.ensureMeta(input.traceId, input.flows, input.entry)
    if (input.deliveryId) {
      const row = getDelivery(this.sql, input.deliveryId)
      // A commit for a delivery that is not running is a late duplicate: record it, deliver nothing.
      if (row?.status !== 'running') {
        this.insertRun({ ...input.run, status: 'skipped', reason: 'duplicate commit', deliveryId: input.deliveryId, emits: [] })
        return { deliveries: 0, duplicate: true }
      }
      setStatus(this.sql, row.id, 'done', {
        history: appendHistory(row, { attempt: row.attempts, startedAt: input.run.startedAt, endedAt: input.run.endedAt }),
      })
      await this.releaseFifo(row)
    }
    if (input.run.status !== 'completed') meta.failed = true
    this.insertRun({ ...input.run, ...(input.deliveryId ? { deliveryId: input.deliveryId } : {}) })
    const rows = input.run.status === 'completed' ? this.fanOut(meta, input.emits) : []
    this.saveMeta(meta)
    await this.send(rows)
    this.afterChange(isNew)
    return { deliveries: rows.length }
  }

  private fanOut(meta: Meta, emits: EmitRecord[]): DeliveryRow[] {
    const rt = getRuntime()
    const now = Date.now()
    const rows: DeliveryRow[] = []
    for (const e of emits) {
      for (const sub of rt.subscribersOf(e.topic)) {
        const fifo = sub.trigger.queue.type === 'fifo' ? 1 : 0
        const row: DeliveryRow = {
          id: `${meta.traceId}:${++meta.seq}`,
          step: sub.step.model.name,
          topic: e.topic,
          data: JSON.stringify(e.data ?? null),
          group_id: e.messageGroupId ?? null,
          status: fifo ? 'waiting' : 'queued',
          attempts: 0,
          due_at: now + sub.trigger.queue.delaySeconds * 1000,
          lease_until: 0,
          boot_id: this.bootId(),
          redispatches: 0,
          history: '[]',
          created_at: now,
          fifo,
          sent: 1,
        }
        this.sql.exec(
          `INSERT INTO deliveries (id, step, topic, data, group_id, status, attempts, due_at, lease_until, boot_id, redispatches, history, created_at, fifo)
           VALUES (?, ?, ?, ?, ?, ?, 0, ?, 0, ?, 0, '[]', ?, ?)`,
          row.id,
          row.step,
          row.topic,
          row.data,
          row.group_id,
          row.status,
          row.due_at,
          row.boot_id,
          now,
          fifo,
        )
        rows.push(row)
      }
    }
    return rows
  }

  /**
   * Sends messages for queued rows; FIFO rows that wait for their turn go to their group's
   * FifoObject instead. A failed send is not an error here: the alarm sends again.
   */
  private async send(all: DeliveryRow[]): Promise<void> {
    const traceId = this.meta?.traceId ?? ''
    const groups = new Map<string, FifoItem[]>()
    for (const r of all) {
      if (r.status !== 'waiting') continue
      const name = fifoName(r.step, r.group_id ?? '')
      groups.set(name, [...(groups.get(name) ?? []), { traceId, deliveryId: r.id, step: r.step, topic: r.topic }])
    }
    for (const [name, items] of groups) await this.env.STEPFLARE_FIFO.getByName(name).enqueue(items)
    const rows = all.filter((r) => r.status !== 'waiting')
    if (rows.length === 0) return
    const now = Date.now()
    const messages = rows.map((r) => ({
      body: { v: 1 as const, traceId, deliveryId: r.id, step: r.step, topic: r.topic },
      delaySeconds: Math.max(0, Math.ceil((r.due_at - now) / 1000)),
    }))
    for (let i = 0; i < messages.length; i += 100) {
      const ids = rows.slice(i, i + 100).map((r) => r.id)
      try {
        await this.env.STEPFLARE_QUEUE.sendBatch(messages.slice(i, i + 100))
        if (rows.slice(i, i + 100).some((r) => r.sent === 0)) markSent(this.sql, ids, true)
      } catch (err) {
        markSent(this.sql, ids, false)
        console.error(JSON.stringify({ level: 'error', msg: 'queue send failed; the trace alarm sends again shortly', traceId, error: String(err) }))
      }
    }
  }

  /** Starts an attempt of a delivery, or says why it must not run (duplicate, dead, in flight). */
  begin(msg: EventMessage, leaseMs: number): BeginResult {
    const row = getDelivery(this.sql, msg.deliveryId)
    if (!row) return { run: false, reason: 'unknown' }
    const now = Date.now()
    if (row.status === 'done' || row.status === 'skipped') {
      this.insertRun({
        step: row.step,
        trigger: { type: 'queue', topic: row.topic },
        attempt: row.attempts,
        status: 'skipped',
        reason: 'duplicate delivery of a completed event',
        deliveryId: row.id,
        startedAt: now,
        endedAt: now,
        emits: [],
        stateOps: [],
        logs: [],
      })
      return { run: false, reason: 'completed' }
    }
    if (row.status === 'dead') return { run: false, reason: 'dead' }
    if (row.status === 'running' && row.lease_until > now && row.boot_id === this.bootId()) return { run: false, reason: 'in-flight' }
    // An early copy of a message must not cut a retry's backoff short; the delayed one is on its way.
    if (row.status === 'retrying' && row.due_at > now + 1000 && row.boot_id === this.bootId()) return { run: false, reason: 'in-flight' }
    const attempt = row.attempts + 1
    setStatus(this.sql, row.id, 'running', { attempts: attempt, lease_until: now + leaseMs, boot_id: this.bootId() })
    this.scheduleAlarm(now + leaseMs)
    return {
      run: true,
      attempt,
      data: JSON.parse(row.data),
      flows: this.meta?.flows ?? [],
      ...(row.group_id ? { messageGroupId: row.group_id } : {}),
    }
  }

  /** A failed attempt that will be retried after `retryInMs`. */
  async fail(deliveryId: string, run: RunRecord, retryInMs: number): Promise<void> {
    const row = getDelivery(this.sql, deliveryId)
    if (row?.status !== 'running') return
    this.insertRun({ ...run, deliveryId })
    const dueAt = Date.now() + retryInMs
    setStatus(this.sql, deliveryId, 'retrying', {
      due_at: dueAt,
      history: appendHistory(row, { attempt: row.attempts, startedAt: run.startedAt, endedAt: run.endedAt, ...(run.error ? { error: run.error } : {}) }),
    })
    await this.send([{ ...row, due_at: dueAt }])
    this.afterChange(false)
  }

  /** Ends a delivery in the dead letters, keeping its payload, error and every attempt. */
  deadLetter(deliveryId: string, run: RunRecord | null, error: SerializedError, reason: DeadLetter['reason']): DeadLetter | null {
    const row = getDelivery(this.sql, deliveryId)
    if (!row || row.status === 'dead' || row.status === 'done') return null
    if (run) this.insertRun({ ...run, status: 'dead', deliveryId })
    const history = appendHistory(row, {
      attempt: row.attempts,
      startedAt: run?.startedAt ?? Date.now(),
      endedAt: run?.endedAt ?? Date.now(),
      error,
    })
    setStatus(this.sql, deliveryId, 'dead', { history })
    this.ctx.waitUntil(this.releaseFifo(row))
    const meta = this.meta
    if (meta) this.saveMeta({ ...meta, failed: true })
    const dl: DeadLetter = {
      id: row.id,
      traceId: meta?.traceId ?? '',
      deliveryId: row.id,
      step: row.step,
      topic: row.topic,
      data: JSON.parse(row.data),
      ...(row.group_id ? { messageGroupId: row.group_id } : {}),
      flows: meta?.flows ?? [],
      error,
      attempts: JSON.parse(history),
      reason,
      createdAt: Date.now(),
    }
    this.ctx.waitUntil(indexStub(this.env).addDeadLetter(dl))
    this.afterChange(false)
    return dl
  }

  /** A delivery whose trigger condition said no: done, without running the handler. */
  skip(deliveryId: string, run: RunRecord): void {
    const row = getDelivery(this.sql, deliveryId)
    if (row?.status !== 'running') return
    this.insertRun({ ...run, status: 'skipped', deliveryId })
    setStatus(this.sql, deliveryId, 'skipped')
    this.ctx.waitUntil(this.releaseFifo(row))
    this.afterChange(false)
  }

  /** A finished FIFO delivery lets its group's next one go. */
  private async releaseFifo(row: DeliveryRow): Promise<void> {
    if (row.fifo) await this.env.STEPFLARE_FIFO.getByName(fifoName(row.step, row.group_id ?? '')).release(row.id)
  }

  /** Runs a dead-lettered delivery again, from a fresh attempt count, with the same trace id. */
  async redrive(deliveryId: string): Promise<boolean> {
    const row = getDelivery(this.sql, deliveryId)
    if (row?.status !== 'dead') return false
    const now = Date.now()
    const status = row.fifo ? 'waiting' : 'queued'
    setStatus(this.sql, deliveryId, status, { attempts: 0, due_at: now, redispatches: 0, boot_id: this.bootId() })
    const meta = this.meta
    if (meta) this.saveMeta({ ...meta, failed: this.sql.exec("SELECT 1 FROM deliveries WHERE status = 'dead'").toArray().length > 0 })
    await this.send([{ ...row, status, due_at: now }])
    this.afterChange(false)
    return true
  }

  /**
   * Sends again every unfinished delivery that belongs to an earlier boot of `stepflare dev` (its
   * message died with that process) or whose re-dispatch is due. Returns how many were sent.
   */
  async recover(): Promise<number> {
    const now = Date.now()
    const boot = this.bootId()
    const due: DeliveryRow[] = []
    const kicks = new Set<string>()
    for (const r of unfinishedDeliveries(this.sql)) {
      if (r.status === 'waiting') {
        // Its FifoObject owns the message; ask it to check its head.
        if (r.boot_id !== boot) kicks.add(fifoName(r.step, r.group_id ?? ''))
        continue
      }
      const stale = r.boot_id !== boot
      const at = redispatchAt(r)
      if (!stale && (at === undefined || at > now)) continue
      if (r.status === 'running' && r.attempts > this.maxRetries(r.step)) {
        this.deadLetter(
          r.id,
          null,
          { name: 'AttemptLostError', message: 'the attempt was lost (its isolate or process ended) and no retries remain' },
          'retries-exhausted',
        )
        continue
      }
      const history =
        r.status === 'running'
          ? appendHistory(r, {
              attempt: r.attempts,
              startedAt: r.lease_until,
              endedAt: now,
              error: { name: 'AttemptLostError', message: 'the attempt was lost (its isolate or process ended)' },
            })
          : r.history
      const dueAt = r.status === 'retrying' ? Math.max(r.due_at, now) : now
      setStatus(this.sql, r.id, r.status === 'retrying' ? 'retrying' : 'queued', { due_at: dueAt, boot_id: boot, redispatches: r.redispatches + 1, history })
      due.push({ ...r, due_at: dueAt })
    }
    await this.send(due)
    for (const name of kicks) await this.env.STEPFLARE_FIFO.getByName(name).kick()
    this.afterChange(false)
    return due.length + kicks.size
  }

  private maxRetries(stepName: string): number {
    const step = getRuntime().steps.get(stepName)
    const q = step?.model.triggers.find((t) => t.type === 'queue')
    return q && q.type === 'queue' ? q.queue.maxRetries : 3
  }

  override async alarm(): Promise<void> {
    this.alarmAt = null
    if (openSummary(this.sql).open > 0) await this.recover()
    else this.purge()
  }

  /**
   * The trace's retention is over: its record (runs, deliveries) goes. State groups named by the
   * trace id are the application's data and stay; with none, the object's storage is freed.
   */
  private purge(): void {
    this.sql.exec('DELETE FROM runs')
    this.sql.exec('DELETE FROM deliveries')
    this.ctx.storage.kv.delete('meta')
    this.meta = undefined
    if (this.sql.exec('SELECT 1 FROM state LIMIT 1').toArray().length === 0) this.ctx.storage.deleteAll()
  }

  private scheduleAlarm(at: number): void {
    if (this.alarmAt !== null && this.alarmAt <= at) return
    this.alarmAt = at
    this.ctx.storage.setAlarm(at)
  }

  /** Keeps the alarm on the earliest re-dispatch time and the index's view of the trace current. */
  private afterChange(isNew: boolean): void {
    const meta = this.meta
    if (!meta) return
    const { open, next } = openSummary(this.sql)
    if (next !== null) this.scheduleAlarm(next)
    else if (open === 0 && (meta.active || isNew)) {
      // Idle: the alarm now marks the end of the trace's retention (see `purge`).
      this.alarmAt = Date.now() + retentionMs()
      this.ctx.storage.setAlarm(this.alarmAt)
    }
    const active = open > 0
    const index = indexStub(this.env)
    if (isNew) {
      const status = this.status(active)
      this.ctx.waitUntil(
        index.traceStarted(
          {
            traceId: meta.traceId,
            createdAt: meta.createdAt,
            updatedAt: Date.now(),
            entryStep: meta.entry.step,
            entryKind: meta.entry.kind,
            flows: meta.flows,
            status,
          },
          active,
        ),
      )
    } else if (active !== meta.active) {
      const completed = active ? {} : this.unreportedCompleted()
      this.ctx.waitUntil(index.traceUpdated(meta.traceId, this.status(active), active, completed))
      if (!active) {
        const reported = { ...(meta.reported ?? {}) }
        for (const [step, n] of Object.entries(completed)) reported[step] = (reported[step] ?? 0) + n
        meta.reported = reported
      }
    }
    if (active !== meta.active) this.saveMeta({ ...meta, active })
  }

  private unreportedCompleted(): Record<string, number> {
    const out: Record<string, number> = {}
    const reported = this.meta?.reported ?? {}
    for (const r of this.sql.exec<{ step: string; n: number }>("SELECT step, COUNT(*) AS n FROM deliveries WHERE status = 'done' GROUP BY step")) {
      const delta = r.n - (reported[r.step] ?? 0)
      if (delta > 0) out[r.step] = delta
    }
    return out
  }

  /** Per-step counts of this trace's deliveries, for `GET /__stepflare/queues`. */
  queueCounts(): Record<string, StepQueueCounts> {
    const out: Record<string, StepQueueCounts> = {}
    const get = (step: string) => {
      out[step] ??= { pending: 0, inFlight: 0, retrying: 0, completed: 0 }
      return out[step]
    }
    for (const r of this.sql.exec<{ step: string; status: string; n: number }>(
      "SELECT step, status, COUNT(*) AS n FROM deliveries WHERE status IN ('waiting', 'queued', 'running', 'retrying') GROUP BY step, status",
    )) {
      const c = get(r.step)
      if (r.status === 'running') c.inFlight += r.n
      else if (r.status === 'retrying') c.retrying += r.n
      else c.pending += r.n
    }
    for (const [step, n] of Object.entries(this.unreportedCompleted())) get(step).completed += n
    return out
  }

  private status(active: boolean): TraceStatus {
    if (active) return 'running'
    return this.meta?.failed ? 'failed' : 'completed'
  }

  get(): TraceView | null {
    const meta = this.meta
    if (!meta) return null
    const runs = this.sql
      .exec<{ id: number; record: string }>('SELECT id, record FROM runs ORDER BY id')
      .toArray()
      .map((r) => ({ id: r.id, ...(JSON.parse(r.record) as RunRecord) }))
    const deliveries = this.sql.exec<DeliveryRow>('SELECT * FROM deliveries ORDER BY created_at, id').toArray().map(toDeliveryView)
    const active = openSummary(this.sql).open > 0
    return {
      traceId: meta.traceId,
      createdAt: meta.createdAt,
      updatedAt: runs.reduce((m, r) => Math.max(m, r.endedAt), meta.createdAt),
      flows: meta.flows,
      entry: meta.entry,
      status: this.status(active),
      runs,
      deliveries,
    }
  }

  /** Python context callbacks: true the first time (invocation, seq) is seen, so a replay is refused. */
  claimCallback(invocationId: string, seq: number, expiresAt: number): boolean {
    this.sql.exec('CREATE TABLE IF NOT EXISTS callbacks (inv TEXT NOT NULL, seq INTEGER NOT NULL, expires_at INTEGER NOT NULL, PRIMARY KEY (inv, seq))')
    const now = Date.now()
    if (seq % 50 === 0) this.sql.exec('DELETE FROM callbacks WHERE expires_at < ?', now)
    return this.sql.exec('INSERT OR IGNORE INTO callbacks (inv, seq, expires_at) VALUES (?, ?, ?)', invocationId, seq, expiresAt).rowsWritten > 0
  }

  // State groups named by this trace id.
  private stateTouched(group: string): void {
    if (this.ctx.storage.kv.get(`group:${group}`)) return
    this.ctx.storage.kv.put(`group:${group}`, true)
    this.ctx.waitUntil(indexStub(this.env).addStateGroup(group, 'trace'))
  }
  stateGet(group: string, key: string): unknown {
    return this.state.stateGet(group, key)
  }
  stateSet(group: string, key: string, value: unknown): unknown {
    this.stateTouched(group)
    return this.state.stateSet(group, key, value)
  }
  stateDelete(group: string, key: string): unknown {
    return this.state.stateDelete(group, key)
  }
  stateGetGroup(group: string): unknown[] {
    return this.state.stateGetGroup(group)
  }
  stateEntries(group: string): { key: string; value: unknown }[] {
    return this.state.stateEntries(group)
  }
  stateClear(group: string): void {
    this.state.stateClear(group)
  }
  stateUpdate(group: string, key: string, ops: UpdateOp[]): { old_value: unknown; new_value: unknown } {
    this.stateTouched(group)
    return this.state.stateUpdate(group, key, ops)
  }
}
