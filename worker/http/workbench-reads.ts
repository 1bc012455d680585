/**
 * Reads for the workbench that the runtime does not keep for it: the log feed and the stream
 * groups are gathered on demand from the most recent traces (which the index already bounds by
 * count and age), so nothing is recorded, buffered or counted while no workbench asks.
 * @module
 */
import type { LogEntry, RunRecord, TraceSummary, TraceView } from '../../objects/trace/records'
import type { StepflareEnv } from '../env'
import { listTraces, readTraces } from '../trace-list'
import type { ParamSpec, ParamValues } from './query-params'

export const MAX_TRACES_READ = 100
const MAX_LOGS = 2000

/** `GET /__stepflare/logs`' query (query-params.ts checks it). */
export const LOGS_QUERY = {
  traces: { kind: 'int', min: 1, max: MAX_TRACES_READ },
  after: { kind: 'int', min: 0, max: 8.64e15 },
  traceId: { kind: 'string' },
} as const satisfies Record<string, ParamSpec>

/** `GET /__stepflare/streams`' query. */
export const STREAMS_QUERY = { traces: { kind: 'int', min: 1, max: MAX_TRACES_READ } } as const satisfies Record<string, ParamSpec>

function logsOf(t: TraceView): LogEntry[] {
  return t.runs.flatMap((run: RunRecord & { id: number }) =>
    (run.logs as Record<string, unknown>[]).map((rec, seq) => {
      const { level, time, msg, traceId: _t, step: _s, flows: _f, ...meta } = rec
      return {
        traceId: t.traceId,
        runId: run.id,
        seq,
        step: run.step,
        attempt: run.attempt,
        level: typeof level === 'string' ? level : 'info',
        time: typeof time === 'number' ? time : run.startedAt,
        msg: String(msg ?? ''),
        meta,
      }
    }),
  )
}

/**
 * `GET /__stepflare/logs?traces=30&after=<ms>&traceId=`: the log records of the most recent traces
 * (at most 100), newest first. With `after`, only traces still running or finished since then are
 * read again, so a polling client re-reads little; `cursor` is the value to pass next time.
 */
export async function recentLogs(env: StepflareEnv, q: ParamValues<typeof LOGS_QUERY>) {
  let summaries: Pick<TraceSummary, 'traceId' | 'status' | 'updatedAt'>[]
  if (q.traceId) summaries = [{ traceId: q.traceId, status: 'running', updatedAt: Date.now() }]
  else {
    const after = q.after ?? 0
    const list = await listTraces(env, { limit: q.traces ?? 30 })
    summaries = list.filter((s) => s.status === 'running' || s.updatedAt >= after)
  }
  const traces = await readTraces(
    env,
    summaries.map((s) => s.traceId),
  )
  const logs = traces
    .flatMap(logsOf)
    .sort((a, b) => b.time - a.time)
    .slice(0, MAX_LOGS)
  const cursor = summaries.reduce((m, s) => Math.max(m, s.status === 'running' ? 0 : s.updatedAt), q.after ?? 0)
  return { logs, cursor, tracesRead: traces.length }
}

export interface StreamGroupSeen {
  stream: string
  groupId: string
  lastAt: number
  ops: number
}

/** `GET /__stepflare/streams`: the stream groups the most recent traces wrote to or read. */
export async function recentStreamGroups(env: StepflareEnv, q: ParamValues<typeof STREAMS_QUERY>): Promise<StreamGroupSeen[]> {
  const list = await listTraces(env, { limit: q.traces ?? 50 })
  const traces = await readTraces(
    env,
    list.map((s) => s.traceId),
  )
  const seen = new Map<string, StreamGroupSeen>()
  for (const t of traces) {
    for (const run of t.runs) {
      for (const op of run.streamOps ?? []) {
        const key = `${op.stream}\u0000${op.groupId}`
        const g = seen.get(key) ?? { stream: op.stream, groupId: op.groupId, lastAt: 0, ops: 0 }
        g.ops++
        g.lastAt = Math.max(g.lastAt, op.at)
        seen.set(key, g)
      }
    }
  }
  return [...seen.values()].sort((a, b) => b.lastAt - a.lastAt)
}
