/**
 * TraceObject: a trace shard. Each trace lives in one of a fixed set of these objects, chosen by a
 * hash of its trace id (trace/shards.ts); the shard is the trace's durable record (every step run)
 * and its coordinator: a step's emits are committed here, fanned out into one delivery per
 * subscribing step and sent to the queue; each delivery is begun, completed, retried or
 * dead-lettered here, so a duplicate is recognised and a lost message is sent again (by alarm, or
 * `recover` after a restart of `stepflare dev`). Its units of work are kept in trace/ledger.ts; the
 * state groups named by its traces' ids live in trace/shard-base.ts.
 * @module
 */
import { leaseMs } from '../worker/queue/lease'
import { getRuntime } from '../worker/runtime'
import { fifoName } from './fifo-object'
import { Batch } from './trace/batch'
import { claimDeliveries, completeDeliveries, insertRuns } from './trace/bulk'
import { appendHistory, type DeliveryRow, getDelivery, nextRedispatch, redispatchAt, setStatus, unfinishedDeliveries } from './trace/deliveries'
import { fanOut } from './trace/fan-out'
import { retentionMs, TraceLedger } from './trace/ledger'
import type { TraceFilter } from './trace/list-query'
import { listShardTraces, nextPurge, purgeFinished, shardQueueCounts, traceView } from './trace/maintenance'
import type { BeginRequest, BeginResult, ClaimedDelivery, CommitInput, Outcome, SettleResult, StepQueueCounts } from './trace/outcomes'
import type { DeadLetter, RunRecord, SerializedError, TraceSummary, TraceView } from './trace/records'
import { traceDeliveries } from './trace/schema'
import type { TraceRow } from './trace/traces'

export type { BeginResult, CommitInput, StepQueueCounts } from './trace/outcomes'

export class TraceObject extends TraceLedger {
  // ---- Starting attempts -------------------------------------------------------------------

  /** Starts an attempt of each delivery, or says why it must not run (duplicate, dead, in flight). */
  async beginMany(requests: BeginRequest[]): Promise<BeginResult[]> {
    const [results, b] = await this.writer.run(() => this.begin(requests))
    if (b.release.length > 0) this.afterInBackground(b)
    return results
  }

  private begin(requests: BeginRequest[]): [BeginResult[], Batch] {
    const b = new Batch()
    const now = Date.now()
    const claims = requests.map((r) => ({ id: r.msg.deliveryId, until: now + r.leaseMs }))
    const claimed = new Map(claimDeliveries(this.sql, claims, now, this.bootId()).map((row) => [row.id, row]))
    const results = requests.map(({ msg }): BeginResult => {
      const row = claimed.get(msg.deliveryId)
      if (!row) return this.refuse(b, msg.deliveryId, now)
      // A second copy of the same message in this batch finds it running: in flight.
      claimed.delete(row.id)
      b.wake(row.lease_until)
      const trace = this.trace(b, row.trace_id)
      return {
        run: true,
        attempt: row.attempts,
        data: JSON.parse(row.data),
        flows: trace ? (JSON.parse(trace.flows) as string[]) : [],
        ...(row.group_id ? { messageGroupId: row.group_id } : {}),
      }
    })
    insertRuns(this.sql, b.runs)
    if (b.wakeAt !== null) this.scheduleAlarm(b.wakeAt)
    return [results, b]
  }

  /**
   * Why a delivery that could not be claimed must not run. A finished FIFO delivery's message
   * comes back when its release was lost (its FifoObject sends an unreleased head again): release
   * it again, or its group would wait for it forever.
   */
  private refuse(b: Batch, deliveryId: string, now: number): BeginResult {
    const row = getDelivery(this.sql, deliveryId)
    if (!row) return { run: false, reason: 'unknown' }
    if (row.fifo && (row.status === 'done' || row.status === 'skipped' || row.status === 'dead')) b.release.push(row)
    if (row.status === 'done' || row.status === 'skipped') {
      this.insertRun(b, row.trace_id, {
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
    // Running under a live lease, or an early copy of a retry's message (the delayed one is on its way).
    return { run: false, reason: 'in-flight' }
  }

  // ---- Ending runs -------------------------------------------------------------------------

  /**
   * Records the end of each run; completed runs' emits are fanned out into deliveries and sent.
   * `claim`: how many of the new deliveries the caller will run itself, now (a queue consumer
   * continuing a chain in its own invocation): up to that many are begun here instead of sent, and
   * come back in their outcome's `claimed` (FIFO and delayed deliveries are always sent).
   */
  async settleMany(outcomes: Outcome[], claim = 0): Promise<SettleResult[]> {
    return this.settle(outcomes, claim)
  }

  /**
   * Writes the outcomes with the other calls of their group and answers once they are durable.
   * What they emitted is sent meanwhile: the shard's record, not the send, is what guarantees
   * delivery (a send that fails or is lost is sent again by the alarm), so callers do not wait.
   */
  private async settle(outcomes: Outcome[], claim = 0): Promise<SettleResult[]> {
    const [results, b] = await this.writer.run(() => this.settleWrite(outcomes, claim))
    this.afterInBackground(b)
    return results
  }

  private settleWrite(outcomes: Outcome[], claim: number): [SettleResult[], Batch] {
    const b = new Batch()
    b.claimable = claim
    const completing = outcomes.flatMap((o) =>
      o.kind === 'completed' && o.deliveryId
        ? [
            {
              id: o.deliveryId,
              startedAt: o.run.startedAt,
              endedAt: o.run.endedAt,
              runId: this.nextId(),
              run: JSON.stringify({ ...o.run, deliveryId: o.deliveryId }),
            },
          ]
        : [],
    )
    const done = new Map(completeDeliveries(this.sql, completing).map((row) => [row.id, row]))
    const results = outcomes.map((o) => (o.kind === 'completed' ? this.complete(b, o, done) : this.settleOne(b, o)))
    this.write(b)
    return [results, b]
  }

  /** Records a finished run; when it succeeded, fans its emits out into deliveries and sends them. */
  async commit(input: CommitInput): Promise<{ deliveries: number; duplicate?: true }> {
    const [r] = await this.settle([{ kind: 'completed', ...input }])
    return { deliveries: r?.deliveries ?? 0, ...(r?.duplicate ? { duplicate: true as const } : {}) }
  }

  /** Ends a delivery in the dead letters, keeping its payload, error and every attempt. */
  async deadLetter(deliveryId: string, run: RunRecord | null, error: SerializedError, reason: DeadLetter['reason']): Promise<DeadLetter | null> {
    return (await this.settle([{ kind: 'dead', deliveryId, run, error, reason }]))[0]?.deadLetter ?? null
  }

  /** A failed, dead or skipped run (the rarer outcomes, one row at a time). */
  private settleOne(b: Batch, o: Exclude<Outcome, { kind: 'completed' }>): SettleResult {
    const none: SettleResult = { deliveries: 0 }
    const row = getDelivery(this.sql, o.deliveryId)
    if (o.kind === 'dead') {
      if (!row || row.status === 'dead' || row.status === 'done') return none
      const dl = this.bury(b, row, o.run, o.error, o.reason)
      return { deliveries: 0, deadLetter: dl }
    }
    if (row?.status !== 'running') return none
    this.changed(b, row.trace_id)
    if (o.kind === 'skipped') {
      this.insertRun(b, row.trace_id, { ...o.run, status: 'skipped', deliveryId: row.id })
      setStatus(this.sql, row.id, 'skipped')
      if (row.fifo) b.release.push(row)
      return none
    }
    this.insertRun(b, row.trace_id, { ...o.run, deliveryId: row.id })
    const dueAt = Date.now() + o.retryInMs
    const history = appendHistory(row, {
      attempt: row.attempts,
      startedAt: o.run.startedAt,
      endedAt: o.run.endedAt,
      ...(o.run.error ? { error: o.run.error } : {}),
    })
    setStatus(this.sql, row.id, 'retrying', { due_at: dueAt, history })
    const next: DeliveryRow = { ...row, status: 'retrying', due_at: dueAt, history }
    b.send.push(next)
    b.wake(redispatchAt(next))
    return none
  }

  /** A completed entry run, or a completed delivery (`done`: the deliveries this unit marked done). */
  private complete(b: Batch, input: CommitInput, done: Map<string, DeliveryRow>): SettleResult {
    const trace = this.trace(b, input.traceId, { flows: input.flows, entry: input.entry }, input.fresh) as TraceRow
    this.changed(b, input.traceId)
    // A trace its state or stream triggers started (`__state`, `__stream`) is the entry run's once it commits.
    if (!input.deliveryId && trace.entry_step.startsWith('__') && !input.entry.step.startsWith('__') && !b.traces.get(input.traceId)?.isNew) {
      trace.entry_step = input.entry.step
      trace.entry_kind = input.entry.kind
      this.sql.exec('UPDATE traces SET entry_step = ?, entry_kind = ? WHERE trace_id = ?', trace.entry_step, trace.entry_kind, input.traceId)
    }
    if (input.deliveryId) {
      const row = done.get(input.deliveryId)
      // A commit for a delivery that is not running is a late duplicate: record it, deliver nothing.
      if (!row) {
        this.insertRun(b, input.traceId, { ...input.run, status: 'skipped', reason: 'duplicate commit', deliveryId: input.deliveryId, emits: [] })
        return { deliveries: 0, duplicate: true }
      }
      done.delete(row.id)
      if (row.fifo) b.release.push(row)
    }
    if (input.run.status !== 'completed') trace.failed = 1
    // A completed delivery's run was kept in its row; a new trace keeps its first run in its own.
    if (!input.deliveryId) {
      if (b.traces.get(input.traceId)?.isNew && trace.entry_run === null) {
        trace.entry_run_id = this.nextId()
        trace.entry_run = JSON.stringify(input.run)
      } else this.insertRun(b, input.traceId, input.run)
    }
    const rows = input.run.status === 'completed' ? fanOut(input.traceId, input.emits, () => this.nextId(), this.bootId()) : []
    const claimed = b.claimable > 0 ? this.claimNew(b, rows, trace) : []
    for (const r of rows) b.wake(redispatchAt(r))
    b.inserts.push(...rows)
    b.send.push(...rows.filter((r) => r.status !== 'running'))
    return { deliveries: rows.length, ...(claimed.length ? { claimed } : {}) }
  }

  /** Begins new deliveries for the settling caller to run at once (see {@link settleMany}). */
  private claimNew(b: Batch, rows: DeliveryRow[], trace: TraceRow): ClaimedDelivery[] {
    const rt = getRuntime()
    const now = Date.now()
    const flows = JSON.parse(trace.flows) as string[]
    const claimed: ClaimedDelivery[] = []
    for (const r of rows) {
      if (b.claimable <= 0) break
      if (r.fifo || r.due_at > now) continue
      b.claimable--
      r.status = 'running'
      r.attempts = 1
      r.lease_until = now + leaseMs(rt, r.step, r.topic)
      const msg = { v: 1 as const, traceId: r.trace_id, deliveryId: r.id, step: r.step, topic: r.topic }
      claimed.push({ msg, begun: { run: true, attempt: 1, data: JSON.parse(r.data), flows } })
    }
    return claimed
  }

  // ---- Recovery, redrive, the alarm --------------------------------------------------------

  /**
   * Runs a dead-lettered delivery again, from a fresh attempt count, with the same trace id. When
   * the trace's record was purged (its retention passed) but the dead letter is still listed,
   * `deadLetter` (the index's copy, with the payload and every attempt) brings the delivery back.
   */
  async redrive(deliveryId: string, deadLetter?: DeadLetter): Promise<boolean> {
    if (!getDelivery(this.sql, deliveryId) && deadLetter?.deliveryId === deliveryId) this.restore(deadLetter)
    const row = getDelivery(this.sql, deliveryId)
    if (row?.status !== 'dead') return false
    const b = new Batch()
    const trace = this.changed(b, row.trace_id)
    const now = Date.now()
    const status = row.fifo ? 'waiting' : 'queued'
    setStatus(this.sql, deliveryId, status, { attempts: 0, due_at: now, redispatches: 0, boot_id: this.bootId() })
    if (trace) {
      const [where, ...args] = traceDeliveries(row.trace_id)
      const dead = this.sql.exec(`SELECT 1 FROM deliveries WHERE ${where} AND status = 'dead' LIMIT 1`, ...args).toArray()
      trace.failed = dead.length > 0 ? 1 : 0
    }
    const next: DeliveryRow = { ...row, status, due_at: now, redispatches: 0 }
    b.send.push(next)
    b.wake(redispatchAt(next))
    await this.finish(b)
    return true
  }

  /** Writes a purged trace's row and its dead delivery back from the dead letter the index kept. */
  private restore(dl: DeadLetter): void {
    const b = new Batch()
    this.trace(b, dl.traceId, { flows: dl.flows, entry: { step: dl.step, kind: 'redrive' } })
    const sub = getRuntime().subscription(dl.step, dl.topic)
    const now = Date.now()
    b.inserts.push({
      id: dl.deliveryId,
      trace_id: dl.traceId,
      step: dl.step,
      topic: dl.topic,
      data: JSON.stringify(dl.data ?? null),
      group_id: dl.messageGroupId ?? null,
      status: 'dead',
      attempts: dl.attempts.length,
      due_at: now,
      lease_until: 0,
      boot_id: this.bootId(),
      redispatches: 0,
      history: JSON.stringify(dl.attempts),
      created_at: dl.createdAt,
      fifo: sub?.trigger.queue.type === 'fifo' ? 1 : 0,
      sent: 1,
      run_id: null,
      run: null,
    })
    this.changed(b, dl.traceId)
    this.write(b)
  }

  /**
   * Sends again every unfinished delivery of the shard that belongs to an earlier boot of
   * `stepflare dev` (its message died with that process) or whose re-dispatch is due. Returns
   * how many were sent (and FIFO groups asked to check their head).
   */
  async recover(): Promise<number> {
    const now = Date.now()
    const boot = this.bootId()
    const b = new Batch()
    const kicks = new Set<string>()
    for (const r of unfinishedDeliveries(this.sql)) {
      const stale = r.boot_id !== boot
      const at = redispatchAt(r)
      if (r.status === 'waiting') {
        if (r.sent === 0 && (stale || (at !== undefined && at <= now))) {
          // Its enqueue failed: hand it to its FifoObject again (a delivery already queued there keeps its place).
          setStatus(this.sql, r.id, 'waiting', { boot_id: boot, redispatches: r.redispatches + 1 })
          const next: DeliveryRow = { ...r, boot_id: boot, redispatches: r.redispatches + 1 }
          b.send.push(next)
          b.wake(redispatchAt(next))
        }
        // After a restart its FifoObject's head may be a message that died with the old process.
        if (stale) kicks.add(fifoName(r.step, r.group_id ?? ''))
        continue
      }
      if (!stale && (at === undefined || at > now)) continue
      if (r.status === 'running' && r.attempts > this.maxRetries(r.step)) {
        this.bury(
          b,
          r,
          null,
          { name: 'AttemptLostError', message: 'the attempt was lost (its isolate or process ended) and no retries remain' },
          'retries-exhausted',
        )
        continue
      }
      this.changed(b, r.trace_id)
      const history =
        r.status === 'running'
          ? appendHistory(r, {
              attempt: r.attempts,
              startedAt: r.lease_until,
              endedAt: now,
              error: { name: 'AttemptLostError', message: 'the attempt was lost (its isolate or process ended)' },
            })
          : r.history
      const status = r.status === 'retrying' ? 'retrying' : 'queued'
      const dueAt = r.status === 'retrying' ? Math.max(r.due_at, now) : now
      setStatus(this.sql, r.id, status, { due_at: dueAt, boot_id: boot, redispatches: r.redispatches + 1, history })
      const next: DeliveryRow = { ...r, status, due_at: dueAt, boot_id: boot, redispatches: r.redispatches + 1, history }
      b.send.push(next)
      b.wake(redispatchAt(next))
    }
    await this.finish(b)
    for (const name of kicks) await this.env.STEPFLARE_FIFO.getByName(name).kick()
    return b.send.length + kicks.size
  }

  private maxRetries(stepName: string): number {
    const step = getRuntime().steps.get(stepName)
    const q = step?.model.triggers.find((t) => t.type === 'queue')
    return q && q.type === 'queue' ? q.queue.maxRetries : 3
  }

  override async alarm(): Promise<void> {
    this.alarmAt = null
    await this.recover()
    this.purge(Date.now() - retentionMs())
    const next = [nextRedispatch(this.sql), nextPurge(this.sql, retentionMs())].filter((t): t is number => t !== null)
    if (next.length) this.scheduleAlarm(Math.max(Math.min(...next), Date.now() + 1_000))
  }

  /**
   * Traces idle since before `before` lose their record (runs, deliveries). State groups named by
   * a trace id are the application's data and stay.
   */
  purge(before: number): number {
    const purged = purgeFinished(this.sql, before)
    if (purged > 0) this.rows.clear()
    return purged
  }

  // ---- Reads -------------------------------------------------------------------------------

  get(traceId: string): TraceView | null {
    return traceView(this.sql, traceId)
  }

  /** The traces of this shard among `traceIds`, in their order; ids it does not hold are skipped. */
  getMany(traceIds: string[]): TraceView[] {
    return traceIds.flatMap((id) => traceView(this.sql, id) ?? [])
  }

  listTraces(filter: TraceFilter = {}): TraceSummary[] {
    return listShardTraces(this.sql, filter)
  }

  /** Per-step counts of the shard's deliveries, for `GET /__stepflare/queues`. */
  queueCounts(): { steps: Record<string, StepQueueCounts>; activeTraces: number } {
    return shardQueueCounts(this.sql)
  }
}
