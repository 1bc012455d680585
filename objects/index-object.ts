/**
 * IndexObject: the catalog of what lives in no trace shard — single-run traces (bounded by count
 * and age), state groups and dead letters. The trace list merges it with the shards' own lists.
 * @module
 */
import { DurableObject } from 'cloudflare:workers'
import type { StepflareEnv } from '../worker/env'
import { getRuntime } from '../worker/runtime'
import { createSoloTraces, getSoloTrace, insertSoloRuns, listSoloTraces, pruneSoloTraces, type SoloRowValues } from './index/solo-traces'
import type { TraceFilter } from './trace/list-query'
import type { DeadLetter, TraceSummary, TraceView } from './trace/records'

export type { SoloRowValues, SoloRun } from './index/solo-traces'
export type { TraceFilter } from './trace/list-query'

export interface DeadLetterFilter {
  step?: string
  topic?: string
  traceId?: string
  limit?: number
}

const DEFAULT_RETAIN_COUNT = 1000
const DEFAULT_RETAIN_HOURS = 24
const PRUNE_EVERY = 100

export class IndexObject extends DurableObject<StepflareEnv> {
  private readonly sql: SqlStorage
  private inserts = 0

  constructor(ctx: DurableObjectState, env: StepflareEnv) {
    super(ctx, env)
    this.sql = ctx.storage.sql
    createSoloTraces(this.sql)
    this.sql.exec('CREATE TABLE IF NOT EXISTS state_groups (grp TEXT PRIMARY KEY, place TEXT NOT NULL, created_at INTEGER NOT NULL)')
    this.sql.exec(`CREATE TABLE IF NOT EXISTS dead_letters (
      id TEXT PRIMARY KEY, trace_id TEXT NOT NULL, step TEXT NOT NULL, topic TEXT NOT NULL, created_at INTEGER NOT NULL, body TEXT NOT NULL)`)
  }

  /**
   * Records single-run traces: traces that are one run and nothing more (an API request or cron
   * tick that emitted nothing), kept here instead of in a trace shard. Takes their rows, as
   * `soloRowValues` builds them. Every {@link PRUNE_EVERY} rows, the oldest past the project's
   * `traces.retainCount` (default 1000) or `traces.retainHours` (default 24) are dropped.
   */
  recordSoloRuns(rows: SoloRowValues[]): void {
    const before = this.inserts
    this.inserts += insertSoloRuns(this.sql, rows)
    if (Math.floor(before / PRUNE_EVERY) !== Math.floor(this.inserts / PRUNE_EVERY)) this.prune()
  }

  soloTrace(traceId: string): TraceView | null {
    return getSoloTrace(this.sql, traceId)
  }

  /** The single-run traces among `traceIds`, in their order; ids it does not hold are skipped. */
  soloTraces(traceIds: string[]): TraceView[] {
    return traceIds.flatMap((id) => getSoloTrace(this.sql, id) ?? [])
  }

  /** Current dead letters per step. */
  deadLetterCounts(): Record<string, number> {
    const out: Record<string, number> = {}
    for (const r of this.sql.exec<{ step: string; n: number }>('SELECT step, COUNT(*) AS n FROM dead_letters GROUP BY step')) out[r.step] = r.n
    return out
  }

  prune(): void {
    const traces = getRuntime().config.traces
    pruneSoloTraces(this.sql, traces?.retainCount ?? DEFAULT_RETAIN_COUNT, (traces?.retainHours ?? DEFAULT_RETAIN_HOURS) * 3_600_000)
  }

  listTraces(filter: TraceFilter = {}): TraceSummary[] {
    return listSoloTraces(this.sql, filter)
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
