/**
 * Reading traces: one by id, many by id, and the list of recent ones — the trace shards' own lists
 * merged with the single-run traces the index keeps, newest first. Each flushes this isolate's
 * buffered single-run traces first (solo-runs.ts).
 * @module
 */
import type { TraceFilter } from '../objects/trace/list-query'
import type { TraceSummary, TraceView } from '../objects/trace/records'
import { traceShardName } from '../objects/trace/shards'
import { allTraceStubs, indexStub, type StepflareEnv, traceShards, traceStub } from './env'
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

/**
 * Traces by id, in the ids' order, without the ones no shard or index holds: one call to the index
 * and one to each trace shard involved, however many ids. A shard that fails to answer costs only
 * its own traces.
 */
export async function readTraces(env: StepflareEnv, traceIds: string[]): Promise<TraceView[]> {
  await flushSoloRuns(env)
  const shards = traceShards(env)
  const byShard = new Map<string, string[]>()
  for (const id of traceIds) {
    const shard = traceShardName(id, shards)
    const ids = byShard.get(shard)
    if (ids) ids.push(id)
    else byShard.set(shard, [id])
  }
  // The RPC stubs' result types do not carry TraceView through; the objects return it.
  const orNone = (call: unknown) => (call as Promise<TraceView[]>).catch((): TraceView[] => [])
  const answers = await Promise.all([
    orNone(indexStub(env).soloTraces(traceIds)),
    ...[...byShard.values()].map((ids) => orNone(traceStub(env, ids[0] as string).getMany(ids))),
  ])
  const found = new Map<string, TraceView>()
  // Shard answers come after the index's, so a trace both hold is read from its shard, as readTrace does.
  for (const list of answers) for (const view of list) found.set(view.traceId, view)
  return traceIds.flatMap((id) => found.get(id) ?? [])
}
