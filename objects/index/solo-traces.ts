/**
 * Single-run traces (an API request or cron tick that emitted nothing) in the index: one row each,
 * summary columns and the run record together, written as bound values (a dozen rows per statement),
 * pruned by count and age through the `created_at` index.
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

/** A single-run trace as its index row: the values of the row's columns, in table order. */
export type SoloRowValues = [
  traceId: string,
  createdAt: number,
  updatedAt: number,
  entryStep: string,
  entryKind: string,
  flows: string,
  status: 'completed' | 'failed',
  record: string,
]

/**
 * The row of a run, built by the Worker as the run ends, so a batch reaches SQLite as bound values.
 * Parsing a JSON batch with SQLite's JSON functions (`json_each`, `->>`) was most of the write's
 * time; bound values cut the index's time per batch by about 40% (bench/RESULTS.md).
 */
export function soloRowValues(r: SoloRun): SoloRowValues {
  const { run } = r
  return [
    r.traceId,
    run.startedAt,
    run.endedAt,
    run.step,
    r.entryKind,
    JSON.stringify(r.flows),
    run.status === 'completed' ? 'completed' : 'failed',
    JSON.stringify(run),
  ]
}

const COLUMNS = 8
// A Durable Object's SQL takes at most 100 bound parameters per statement.
const ROWS_PER_STATEMENT = Math.floor(100 / COLUMNS)
const inserts = new Map<number, string>()

function insertStatement(rows: number): string {
  let text = inserts.get(rows)
  if (!text) {
    const row = `(${Array(COLUMNS).fill('?').join(',')})`
    text = `INSERT OR REPLACE INTO ${SOLO_TABLE} (trace_id, created_at, updated_at, entry_step, entry_kind, flows, status, record) VALUES ${Array(rows).fill(row).join(',')}`
    inserts.set(rows, text)
  }
  return text
}

/** Writes the rows, {@link ROWS_PER_STATEMENT} per statement. Returns how many traces were written. */
export function insertSoloRuns(sql: SqlStorage, rows: readonly SoloRowValues[]): number {
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(i, i + ROWS_PER_STATEMENT)
    sql.exec(insertStatement(chunk.length), ...chunk.flat())
  }
  return rows.length
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
