/**
 * Single-run traces (an API request or cron tick that emitted nothing) in the index: one row each,
 * summary columns and the run record together, written a batch per statement, pruned by count and
 * age through the `created_at` index.
 * @module
 */
import { listQuery, listSummary, type TraceFilter, type TraceListRow } from '../trace/list-query'
import type { RunRecord, TraceStatus, TraceSummary, TraceView } from '../trace/records'

export interface SoloRun {
  traceId: string
  flows: string[]
  entryKind: string
  run: RunRecord
}

interface SoloRow extends TraceListRow {
  status: string
  record: string
}

export const SOLO_TABLE = 'solo_traces'

/** Creates the table, and moves rows from the layout before it (`traces` + `solo_runs`) into it. */
export function createSoloTraces(sql: SqlStorage): void {
  sql.exec(`CREATE TABLE IF NOT EXISTS ${SOLO_TABLE} (
    trace_id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
    entry_step TEXT NOT NULL, entry_kind TEXT NOT NULL, flows TEXT NOT NULL, status TEXT NOT NULL, record TEXT NOT NULL)`)
  sql.exec(`CREATE INDEX IF NOT EXISTS ${SOLO_TABLE}_created ON ${SOLO_TABLE} (created_at)`)
  const old = sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name IN ('traces', 'solo_runs')").one().n
  if (old < 2) return
  sql.exec(`INSERT OR IGNORE INTO ${SOLO_TABLE} (trace_id, created_at, updated_at, entry_step, entry_kind, flows, status, record)
    SELECT t.trace_id, t.created_at, t.updated_at, t.entry_step, t.entry_kind, t.flows, t.status, s.record FROM traces t JOIN solo_runs s USING (trace_id)`)
  sql.exec('DROP TABLE solo_runs')
  sql.exec('DROP TABLE traces')
}

/** Writes a JSON array of {@link SoloRun} in one statement. Returns how many traces were written. */
export function insertSoloRuns(sql: SqlStorage, json: string): number {
  sql.exec(
    `INSERT OR REPLACE INTO ${SOLO_TABLE} (trace_id, created_at, updated_at, entry_step, entry_kind, flows, status, record)
     SELECT value ->> 'traceId', value ->> '$.run.startedAt', value ->> '$.run.endedAt', value ->> '$.run.step', value ->> 'entryKind',
       value -> 'flows', CASE value ->> '$.run.status' WHEN 'completed' THEN 'completed' ELSE 'failed' END, value -> 'run'
     FROM json_each(?)`,
    json,
  )
  // Not the cursor's rowsWritten: that counts the index entries written too.
  return sql.exec<{ n: number }>('SELECT changes() AS n').one().n
}

/** Keeps at least the newest `count` traces (ties at the boundary stay) and none older than `maxAgeMs`. */
export function pruneSoloTraces(sql: SqlStorage, count: number, maxAgeMs: number): void {
  sql.exec(`DELETE FROM ${SOLO_TABLE} WHERE created_at < ?`, Date.now() - maxAgeMs)
  sql.exec(
    `DELETE FROM ${SOLO_TABLE} WHERE created_at < (SELECT created_at FROM ${SOLO_TABLE} ORDER BY created_at DESC LIMIT 1 OFFSET ?)`,
    Math.max(count, 1) - 1,
  )
}

const toSummary = (r: SoloRow): TraceSummary => listSummary(r, r.status as TraceStatus)

export function listSoloTraces(sql: SqlStorage, filter: TraceFilter): TraceSummary[] {
  const [query, ...args] = listQuery(SOLO_TABLE, filter, (status) => ['status = ?', status])
  return sql
    .exec<SoloRow>(query, ...args)
    .toArray()
    .map(toSummary)
}

export function getSoloTrace(sql: SqlStorage, traceId: string): TraceView | null {
  const row = sql.exec<SoloRow>(`SELECT * FROM ${SOLO_TABLE} WHERE trace_id = ?`, traceId).toArray()[0]
  if (!row) return null
  const summary = toSummary(row)
  return {
    traceId,
    createdAt: summary.createdAt,
    updatedAt: summary.updatedAt,
    flows: summary.flows,
    entry: { step: summary.entryStep, kind: summary.entryKind },
    status: summary.status,
    runs: [{ id: 1, ...(JSON.parse(row.record) as RunRecord) }],
    deliveries: [],
  }
}
