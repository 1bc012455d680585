/**
 * The `traces` table of a shard: one row per trace it hosts — what the trace list shows, its status,
 * and the run that started it.
 * @module
 */
import { listSummary, type TraceListRow } from './list-query'
import type { TraceStatus, TraceSummary } from './records'
import { OPEN_STATUSES } from './schema'

export interface TraceRow extends TraceListRow {
  /** 1 while the trace has unfinished deliveries. */
  active: number
  failed: number
  /** The run that started the trace (its id and JSON record), kept in its row. */
  entry_run_id: number | null
  entry_run: string | null
}

export function getTrace(sql: SqlStorage, traceId: string): TraceRow | undefined {
  return sql.exec<TraceRow>('SELECT * FROM traces WHERE trace_id = ?', traceId).toArray()[0]
}

export function newTraceRow(traceId: string, flows: string[], entry: { step: string; kind: string }, now = Date.now()): TraceRow {
  return {
    trace_id: traceId,
    created_at: now,
    updated_at: now,
    entry_step: entry.step,
    entry_kind: entry.kind,
    flows: JSON.stringify(flows),
    active: 0,
    failed: 0,
    entry_run_id: null,
    entry_run: null,
  }
}

const OPEN_OF = (id: string) => `EXISTS (SELECT 1 FROM deliveries d WHERE d.trace_id = ${id} AND d.status IN ${OPEN_STATUSES})`

/**
 * Writes the rows of the traces a unit of work touched: new ones are inserted; the others are
 * updated only when their status changed (active — recomputed from their deliveries — or failed).
 * Sets `active` on each row given.
 */
export function saveTraces(sql: SqlStorage, rows: { row: TraceRow; isNew: boolean; was: { active: number; failed: number } }[], now: number): void {
  const fresh = rows.filter((r) => r.isNew).map((r) => r.row)
  const byId = new Map(rows.map((r) => [r.row.trace_id, r.row]))
  if (fresh.length > 0) {
    const id = "json_extract(value, '$.trace_id')"
    const cols = ['created_at', 'updated_at', 'entry_step', 'entry_kind', 'flows', 'failed', 'entry_run_id', 'entry_run'].map(
      (c) => `json_extract(value, '$.${c}')`,
    )
    for (const r of sql.exec<{ trace_id: string; active: number }>(
      `INSERT INTO traces (trace_id, created_at, updated_at, entry_step, entry_kind, flows, failed, entry_run_id, entry_run, active)
       SELECT ${id}, ${cols.join(', ')}, ${OPEN_OF(id)} FROM json_each(?) RETURNING trace_id, active`,
      JSON.stringify(fresh),
    ))
      (byId.get(r.trace_id) as TraceRow).active = r.active
  }
  const old = rows.filter((r) => !r.isNew)
  if (old.length === 0) return
  const ids = JSON.stringify(old.map((r) => r.row.trace_id))
  for (const r of sql.exec<{ id: string; active: number }>(`SELECT value AS id, ${OPEN_OF('value')} AS active FROM json_each(?)`, ids))
    (byId.get(r.id) as TraceRow).active = r.active
  const changed = old.filter((r) => r.row.active !== r.was.active || r.row.failed !== r.was.failed)
  if (changed.length === 0) return
  for (const r of changed) r.row.updated_at = now
  sql.exec(
    `UPDATE traces SET updated_at = json_extract(j.value, '$.updated_at'), active = json_extract(j.value, '$.active'), failed = json_extract(j.value, '$.failed')
     FROM json_each(?) AS j WHERE traces.trace_id = json_extract(j.value, '$.trace_id')`,
    JSON.stringify(changed.map((r) => ({ trace_id: r.row.trace_id, updated_at: r.row.updated_at, active: r.row.active, failed: r.row.failed }))),
  )
}

export function traceStatus(t: Pick<TraceRow, 'active' | 'failed'>): TraceStatus {
  if (t.active) return 'running'
  return t.failed ? 'failed' : 'completed'
}

export function toSummary(t: TraceRow): TraceSummary {
  return listSummary(t, traceStatus(t))
}
