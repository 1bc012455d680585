/**
 * IndexObject: the catalog of what lives in no trace shard — single-run traces (bounded by count
 * and age), state groups and dead letters. The trace list merges it with the shards' own lists.
 * @module
 */
import { DurableObject } from 'cloudflare:workers'
import type { StepflareEnv } from '../worker/env'
import { listQuery, listSummary, type TraceFilter, type TraceListRow } from './trace/list-query'
import type { DeadLetter, RunRecord, TraceStatus, TraceSummary, TraceView } from './trace/records'

export type { TraceFilter } from './trace/list-query'

export interface SoloRun {
  traceId: string
  flows: string[]
  entryKind: string
  run: RunRecord
}

export interface DeadLetterFilter {
  step?: string
  topic?: string
  traceId?: string
  limit?: number
}

const DEFAULT_RETAIN_COUNT = 1000
const DEFAULT_RETAIN_HOURS = 24
const PRUNE_EVERY = 100

interface TraceRow extends TraceListRow {
  status: string
}

const toSummary = (r: TraceRow): TraceSummary => listSummary(r, r.status as TraceStatus)

export class IndexObject extends DurableObject<StepflareEnv> {
  private readonly sql: SqlStorage
  private inserts = 0
  retainCount = DEFAULT_RETAIN_COUNT
  retainHours = DEFAULT_RETAIN_HOURS

  constructor(ctx: DurableObjectState, env: StepflareEnv) {
    super(ctx, env)
    this.sql = ctx.storage.sql
    this.sql.exec(`CREATE TABLE IF NOT EXISTS traces (
      trace_id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
      entry_step TEXT NOT NULL, entry_kind TEXT NOT NULL, flows TEXT NOT NULL, status TEXT NOT NULL, active INTEGER NOT NULL)`)
    this.sql.exec('CREATE INDEX IF NOT EXISTS traces_created ON traces (created_at)')
    this.sql.exec('CREATE TABLE IF NOT EXISTS solo_runs (trace_id TEXT PRIMARY KEY, record TEXT NOT NULL)')
    this.sql.exec('CREATE TABLE IF NOT EXISTS state_groups (grp TEXT PRIMARY KEY, place TEXT NOT NULL, created_at INTEGER NOT NULL)')
    this.sql.exec(`CREATE TABLE IF NOT EXISTS dead_letters (
      id TEXT PRIMARY KEY, trace_id TEXT NOT NULL, step TEXT NOT NULL, topic TEXT NOT NULL, created_at INTEGER NOT NULL, body TEXT NOT NULL)`)
  }

  configureRetention(count: number, hours: number): void {
    this.retainCount = count
    this.retainHours = hours
  }

  /**
   * A trace that is one run and nothing more (an API request or cron tick that emitted nothing):
   * kept here, in the warm index, instead of in a TraceObject of its own.
   */
  /**
   * Records single-run traces: a JSON array of {@link SoloRun} (what the Worker sends: one string
   * crosses the RPC boundary cheaper than many objects) or the array itself. Two statements in all.
   */
  recordSoloRuns(runs: SoloRun[] | string): void {
    const json = typeof runs === 'string' ? runs : JSON.stringify(runs)
    this.sql.exec(
      `INSERT INTO traces (trace_id, created_at, updated_at, entry_step, entry_kind, flows, status, active)
       SELECT value ->> 'traceId', value ->> '$.run.startedAt', value ->> '$.run.endedAt', value ->> '$.run.step', value ->> 'entryKind',
         value -> 'flows', CASE value ->> '$.run.status' WHEN 'completed' THEN 'completed' ELSE 'failed' END, 0
       FROM json_each(?) WHERE true
       ON CONFLICT (trace_id) DO UPDATE SET updated_at = excluded.updated_at, status = excluded.status, active = excluded.active`,
      json,
    )
    const written = this.sql.exec(`INSERT OR REPLACE INTO solo_runs (trace_id, record) SELECT value ->> 'traceId', value -> 'run' FROM json_each(?)`, json)
    const before = this.inserts
    this.inserts += written.rowsWritten
    if (Math.floor(before / PRUNE_EVERY) !== Math.floor(this.inserts / PRUNE_EVERY)) this.prune()
  }

  soloTrace(traceId: string): TraceView | null {
    const row = this.sql
      .exec<TraceRow & { record: string }>('SELECT t.*, s.record FROM solo_runs s JOIN traces t USING (trace_id) WHERE trace_id = ?', traceId)
      .toArray()[0]
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

  /** Current dead letters per step. */
  deadLetterCounts(): Record<string, number> {
    const out: Record<string, number> = {}
    for (const r of this.sql.exec<{ step: string; n: number }>('SELECT step, COUNT(*) AS n FROM dead_letters GROUP BY step')) out[r.step] = r.n
    return out
  }

  /** Drops finished traces past the retention count or age. Active traces are kept: they still have work. */
  prune(): void {
    const cutoff = Date.now() - this.retainHours * 3600_000
    this.sql.exec('DELETE FROM traces WHERE active = 0 AND created_at < ?', cutoff)
    this.sql.exec(`DELETE FROM traces WHERE active = 0 AND trace_id NOT IN (SELECT trace_id FROM traces ORDER BY created_at DESC LIMIT ?)`, this.retainCount)
    this.sql.exec('DELETE FROM solo_runs WHERE trace_id NOT IN (SELECT trace_id FROM traces)')
  }

  listTraces(filter: TraceFilter = {}): TraceSummary[] {
    const [query, ...args] = listQuery(filter, (status) => ['status = ?', status])
    return this.sql
      .exec<TraceRow>(query, ...args)
      .toArray()
      .map(toSummary)
  }

  addStateGroup(group: string, place: 'state' | 'trace'): void {
    this.sql.exec('INSERT OR IGNORE INTO state_groups (grp, place, created_at) VALUES (?, ?, ?)', group, place, Date.now())
  }

  removeStateGroup(group: string): void {
    this.sql.exec('DELETE FROM state_groups WHERE grp = ?', group)
  }

  listStateGroups(): string[] {
    return this.sql
      .exec<{ grp: string }>('SELECT grp FROM state_groups ORDER BY grp')
      .toArray()
      .map((r) => r.grp)
  }

  addDeadLetter(dl: DeadLetter): void {
    this.sql.exec(
      'INSERT OR REPLACE INTO dead_letters (id, trace_id, step, topic, created_at, body) VALUES (?, ?, ?, ?, ?, ?)',
      dl.id,
      dl.traceId,
      dl.step,
      dl.topic,
      dl.createdAt,
      JSON.stringify(dl),
    )
  }

  listDeadLetters(filter: DeadLetterFilter = {}): DeadLetter[] {
    const where: string[] = []
    const args: SqlStorageValue[] = []
    for (const [col, v] of [
      ['step', filter.step],
      ['topic', filter.topic],
      ['trace_id', filter.traceId],
    ] as const) {
      if (v) {
        where.push(`${col} = ?`)
        args.push(v)
      }
    }
    const limit = Math.min(Math.max(filter.limit ?? 1000, 1), 10_000)
    return this.sql
      .exec<{ body: string }>(`SELECT body FROM dead_letters ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at LIMIT ${limit}`, ...args)
      .toArray()
      .map((r) => JSON.parse(r.body) as DeadLetter)
  }

  getDeadLetter(id: string): DeadLetter | null {
    const row = this.sql.exec<{ body: string }>('SELECT body FROM dead_letters WHERE id = ?', id).toArray()[0]
    return row ? (JSON.parse(row.body) as DeadLetter) : null
  }

  removeDeadLetter(id: string): boolean {
    return this.sql.exec('DELETE FROM dead_letters WHERE id = ?', id).rowsWritten > 0
  }
}
