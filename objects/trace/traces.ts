/**
 * The `traces` table of a shard: one row per trace it hosts (what the trace list shows, and the
 * counter that numbers the trace's deliveries).
 * @module
 */
import type { TraceStatus, TraceSummary } from './records'
import { OPEN_STATUSES } from './schema'

export interface TraceRow extends Record<string, SqlStorageValue> {
  trace_id: string
  created_at: number
  updated_at: number
  entry_step: string
  entry_kind: string
  /** JSON array of flow names. */
  flows: string
  seq: number
  /** 1 while the trace has unfinished deliveries. */
  active: number
  failed: number
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
    seq: 0,
    active: 0,
    failed: 0,
  }
}

/**
 * Writes the rows of the traces a unit of work touched — new ones inserted, the others updated —
 * each with `active` recomputed from its deliveries; returns `active` per trace id.
 */
export function saveTraces(sql: SqlStorage, rows: { row: TraceRow; isNew: boolean }[]): Map<string, number> {
  const active = new Map<string, number>()
  const openOf = (id: string) => `EXISTS (SELECT 1 FROM deliveries d WHERE d.trace_id = ${id} AND d.status IN ${OPEN_STATUSES})`
  const fresh = rows.filter((r) => r.isNew).map((r) => r.row)
  if (fresh.length > 0) {
    const id = "json_extract(value, '$.trace_id')"
    const cols = ['created_at', 'updated_at', 'entry_step', 'entry_kind', 'flows', 'seq', 'failed'].map((c) => `json_extract(value, '$.${c}')`)
    for (const r of sql.exec<{ trace_id: string; active: number }>(
      `INSERT INTO traces (trace_id, created_at, updated_at, entry_step, entry_kind, flows, seq, failed, active)
       SELECT ${id}, ${cols.join(', ')}, ${openOf(id)} FROM json_each(?) RETURNING trace_id, active`,
      JSON.stringify(fresh),
    ))
      active.set(r.trace_id, r.active)
  }
  const old = rows.filter((r) => !r.isNew).map((r) => ({ id: r.row.trace_id, updated_at: r.row.updated_at, seq: r.row.seq, failed: r.row.failed }))
  if (old.length > 0) {
    for (const r of sql.exec<{ trace_id: string; active: number }>(
      `UPDATE traces SET updated_at = json_extract(j.value, '$.updated_at'), seq = json_extract(j.value, '$.seq'),
         failed = json_extract(j.value, '$.failed'), active = ${openOf('traces.trace_id')}
       FROM json_each(?) AS j WHERE traces.trace_id = json_extract(j.value, '$.id')
       RETURNING trace_id, active`,
      JSON.stringify(old),
    ))
      active.set(r.trace_id, r.active)
  }
  return active
}

export function traceStatus(t: Pick<TraceRow, 'active' | 'failed'>): TraceStatus {
  if (t.active) return 'running'
  return t.failed ? 'failed' : 'completed'
}

export function toSummary(t: TraceRow): TraceSummary {
  return {
    traceId: t.trace_id,
    createdAt: t.created_at,
    updatedAt: t.updated_at,
    entryStep: t.entry_step,
    entryKind: t.entry_kind,
    flows: JSON.parse(t.flows) as string[],
    status: traceStatus(t),
  }
}
