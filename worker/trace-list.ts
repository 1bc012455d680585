/**
 * Reading traces: one by id, and the list of recent ones — the trace shards' own lists merged with
 * the single-run traces the index keeps, newest first. Both flush this isolate's buffered
 * single-run traces first (solo-runs.ts).
 * @module
 */
import type { TraceFilter } from '../objects/trace/list-query'
import type { TraceSummary, TraceView } from '../objects/trace/records'
import { allTraceStubs, indexStub, type StepflareEnv, traceStub } from './env'
import { flushSoloRuns } from './solo-runs'

export async function listTraces(env: StepflareEnv, filter: TraceFilter = {}): Promise<TraceSummary[]> {
  await flushSoloRuns(env)
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 1000)
  const lists = (await Promise.all([indexStub(env).listTraces(filter), ...allTraceStubs(env).map((shard) => shard.listTraces(filter))])) as TraceSummary[][]
  return lists
    .flat()
    .sort((a, b) => b.createdAt - a.createdAt || (a.traceId < b.traceId ? 1 : a.traceId > b.traceId ? -1 : 0))
    .slice(0, limit)
}

/** A trace by id: a single-run trace lives in the index, the others in their trace shard. */
export async function readTrace(env: StepflareEnv, traceId: string): Promise<TraceView | null> {
  await flushSoloRuns(env)
  const [sharded, solo] = await Promise.all([traceStub(env, traceId).get(traceId), indexStub(env).soloTrace(traceId)])
  return ((sharded ?? solo) as TraceView | null) ?? null
}
