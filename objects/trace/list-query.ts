/**
 * The trace list's query, shared by the index (single-run traces) and the trace shards: the same
 * filter, the same columns, newest first. Only the table and how a status is stored differ.
 * @module
 */
import type { TraceStatus, TraceSummary } from './records'

export interface TraceFilter {
  limit?: number
  status?: TraceStatus
  step?: string
  flow?: string
  since?: number
}

/** The columns both tables share. */
export interface TraceListRow extends Record<string, SqlStorageValue> {
  trace_id: string
  created_at: number
  updated_at: number
  entry_step: string
  entry_kind: string
  /** JSON array of flow names. */
  flows: string
}

export function listQuery(
  table: string,
  filter: TraceFilter,
  statusWhere: (status: TraceStatus) => [string, ...SqlStorageValue[]],
): [string, ...SqlStorageValue[]] {
  const where: string[] = []
  const args: SqlStorageValue[] = []
  if (filter.status) {
    const [clause, ...values] = statusWhere(filter.status)
    where.push(clause)
    args.push(...values)
  }
  if (filter.step) {
    where.push('entry_step = ?')
    args.push(filter.step)
  }
  if (filter.flow) {
    where.push('flows LIKE ?')
    args.push(`%${JSON.stringify(filter.flow)}%`)
  }
  if (filter.since) {
    where.push('created_at >= ?')
    args.push(filter.since)
  }
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 1000)
  return [`SELECT * FROM ${table} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, trace_id DESC LIMIT ${limit}`, ...args]
}

export function listSummary(r: TraceListRow, status: TraceStatus): TraceSummary {
  return {
    traceId: r.trace_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    entryStep: r.entry_step,
    entryKind: r.entry_kind,
    flows: JSON.parse(r.flows) as string[],
    status,
  }
}
