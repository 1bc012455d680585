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

export function saveTrace(sql: SqlStorage, t: TraceRow, isNew: boolean): void {
  if (isNew) {
    sql.exec(
      `INSERT INTO traces (trace_id, created_at, updated_at, entry_step, entry_kind, flows, seq, active, failed)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      t.trace_id,
      t.created_at,
      t.updated_at,
      t.entry_step,
      t.entry_kind,
      t.flows,
      t.seq,
      t.active,
      t.failed,
    )
    return
  }
  sql.exec('UPDATE traces SET updated_at = ?, seq = ?, active = ?, failed = ? WHERE trace_id = ?', t.updated_at, t.seq, t.active, t.failed, t.trace_id)
}

export function openDeliveries(sql: SqlStorage, traceId: string): number {
  return sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM deliveries WHERE trace_id = ? AND status IN ${OPEN_STATUSES}`, traceId).one().n
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
