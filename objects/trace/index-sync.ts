/**
 * Keeps the index's list of traces current without a call per change: a shard marks a trace
 * `indexed = 0` when it starts or its status changes, and sends every such trace in one call a
 * moment later (and from its alarm, if the isolate went away first).
 * @module
 */
import type { IndexObject } from '../index-object'
import type { TraceSummary } from './records'
import { toSummary, type TraceRow } from './traces'

const PER_CALL = 500
/** Durable Object SQLite accepts at most 100 bound parameters per statement. */
const MAX_PARAMS = 100

export type IndexedTrace = TraceSummary & { active: boolean }

interface IndexRpc {
  tracesChanged(traces: IndexedTrace[]): unknown
}

export async function flushIndex(sql: SqlStorage, index: IndexRpc | DurableObjectStub<IndexObject>): Promise<void> {
  for (;;) {
    const pick = `SELECT trace_id FROM traces WHERE indexed = 0 ORDER BY trace_id LIMIT ${PER_CALL}`
    const rows = sql.exec<TraceRow>(`SELECT * FROM traces WHERE trace_id IN (${pick})`).toArray()
    if (rows.length === 0) return
    // Marked before the call, in the same synchronous turn: a change made while it is in flight marks the trace again.
    sql.exec(`UPDATE traces SET indexed = 1 WHERE trace_id IN (${pick})`)
    try {
      await (index as IndexRpc).tracesChanged(rows.map((r) => ({ ...toSummary(r), active: r.active === 1 })))
    } catch (err) {
      for (let i = 0; i < rows.length; i += MAX_PARAMS) {
        const ids = rows.slice(i, i + MAX_PARAMS).map((r) => r.trace_id)
        sql.exec(`UPDATE traces SET indexed = 0 WHERE trace_id IN (${ids.map(() => '?').join(', ')})`, ...ids)
      }
      console.error(JSON.stringify({ level: 'error', msg: 'updating the trace index failed; the shard tries again', count: rows.length, error: String(err) }))
      return
    }
    if (rows.length < PER_CALL) return
  }
}
