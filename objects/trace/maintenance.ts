/**
 * Reads and housekeeping over a trace shard's tables: one trace's view, the trace list, the queue counts,
 * and the purge of traces whose retention is over.
 * @module
 */

import { type DeliveryRow, toDeliveryView } from './deliveries'
import { listQuery, type TraceFilter } from './list-query'
import type { StepQueueCounts } from './outcomes'
import type { RunRecord, TraceSummary, TraceView } from './records'
import { OPEN_STATUSES, traceDeliveries } from './schema'
import { getTrace, type TraceRow, toSummary, traceStatus } from './traces'

export function traceView(sql: SqlStorage, traceId: string): TraceView | null {
  const t = getTrace(sql, traceId)
  if (!t) return null
  const [where, ...args] = traceDeliveries(traceId)
  const rows = sql.exec<DeliveryRow>(`SELECT * FROM deliveries WHERE ${where} ORDER BY created_at, id`, ...args).toArray()
  // The trace's runs live in three places (see schema.ts): its row, its deliveries' rows, `runs`.
  const records = sql.exec<{ id: number; record: string }>('SELECT id, record FROM runs WHERE trace_id = ?', traceId).toArray()
  if (t.entry_run_id !== null && t.entry_run !== null) records.push({ id: t.entry_run_id, record: t.entry_run })
  for (const r of rows) if (r.run_id !== null && r.run !== null) records.push({ id: r.run_id, record: r.run })
  const runs = records.sort((a, b) => a.id - b.id).map((r) => ({ id: r.id, ...(JSON.parse(r.record) as RunRecord) }))
  const deliveries = rows.map(toDeliveryView)
  return {
    traceId,
    createdAt: t.created_at,
    updatedAt: runs.reduce((m, r) => Math.max(m, r.endedAt), t.created_at),
    flows: JSON.parse(t.flows) as string[],
    entry: { step: t.entry_step, kind: t.entry_kind },
    status: traceStatus(t),
    runs,
    deliveries,
  }
}

/** The shard's traces matching `filter`, newest first (the same query as the index's single-run traces). */
export function listShardTraces(sql: SqlStorage, filter: TraceFilter = {}): TraceSummary[] {
  const [query, ...args] = listQuery('traces', filter, (status) =>
    status === 'running' ? ['active = 1'] : status === 'completed' ? ['active = 0 AND failed = 0'] : ['active = 0 AND failed = 1'],
  )
  return sql
    .exec<TraceRow>(query, ...args)
    .toArray()
    .map(toSummary)
}

export function shardQueueCounts(sql: SqlStorage): { steps: Record<string, StepQueueCounts>; activeTraces: number } {
  const steps: Record<string, StepQueueCounts> = {}
  const get = (step: string) => {
    steps[step] ??= { pending: 0, inFlight: 0, retrying: 0, completed: 0 }
    return steps[step]
  }
  for (const r of sql.exec<{ step: string; status: string; n: number }>(
    `SELECT step, status, COUNT(*) AS n FROM deliveries WHERE status IN ${OPEN_STATUSES} GROUP BY step, status`,
  )) {
    const c = get(r.step)
    if (r.status === 'running') c.inFlight += r.n
    else if (r.status === 'retrying') c.retrying += r.n
    else c.pending += r.n
  }
  for (const r of sql.exec<{ step: string; n: number }>("SELECT step, COUNT(*) AS n FROM deliveries WHERE status = 'done' GROUP BY step"))
    get(r.step).completed += r.n
  for (const r of sql.exec<{ step: string; completed: number }>('SELECT step, completed FROM step_totals')) get(r.step).completed += r.completed
  const activeTraces = sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM traces WHERE active = 1').one().n
  return { steps, activeTraces }
}

/**
 * Deletes the record (runs, deliveries, trace row) of every trace idle since before `before`,
 * first adding its completed deliveries to the shard's per-step totals. Returns how many went.
 */
export function purgeFinished(sql: SqlStorage, before: number): number {
  const expired = sql.exec<{ trace_id: string }>('SELECT trace_id FROM traces WHERE active = 0 AND updated_at < ?', before).toArray()
  if (expired.length === 0) return 0
  const completed = new Map<string, number>()
  for (const { trace_id } of expired) {
    const [where, ...args] = traceDeliveries(trace_id)
    for (const r of sql.exec<{ step: string; n: number }>(
      `SELECT step, COUNT(*) AS n FROM deliveries WHERE ${where} AND status = 'done' GROUP BY step`,
      ...args,
    ))
      completed.set(r.step, (completed.get(r.step) ?? 0) + r.n)
    sql.exec('DELETE FROM runs WHERE trace_id = ?', trace_id)
    sql.exec(`DELETE FROM deliveries WHERE ${where}`, ...args)
  }
  for (const [step, n] of completed)
    sql.exec('INSERT INTO step_totals (step, completed) VALUES (?, ?) ON CONFLICT (step) DO UPDATE SET completed = completed + excluded.completed', step, n)
  sql.exec('DELETE FROM traces WHERE active = 0 AND updated_at < ?', before)
  return expired.length
}

/** When the oldest idle trace's retention ends, or null when no trace is idle. */
export function nextPurge(sql: SqlStorage, retentionMs: number): number | null {
  const oldest = sql.exec<{ at: number | null }>('SELECT MIN(updated_at) AS at FROM traces WHERE active = 0').one().at
  return oldest === null ? null : oldest + retentionMs
}
