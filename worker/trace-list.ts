/**
 * The list of recent traces: the trace shards' own lists merged with the single-run traces the
 * index keeps, newest first.
 * @module
 */
import type { TraceFilter } from '../objects/trace/list-query'
import type { TraceSummary } from '../objects/trace/records'
import { allTraceStubs, indexStub, type StepflareEnv } from './env'

export async function listTraces(env: StepflareEnv, filter: TraceFilter = {}): Promise<TraceSummary[]> {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 1000)
  const lists = (await Promise.all([indexStub(env).listTraces(filter), ...allTraceStubs(env).map((shard) => shard.listTraces(filter))])) as TraceSummary[][]
  return lists
    .flat()
    .sort((a, b) => b.createdAt - a.createdAt || (a.traceId < b.traceId ? 1 : a.traceId > b.traceId ? -1 : 0))
    .slice(0, limit)
}
