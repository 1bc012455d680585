/**
 * The flow tester's answers (responses, traces, captured events) and its topic watcher, which
 * reads emitted events back from the traces: every committed run records its emits.
 * @module
 */

export interface FlowResponse<T = unknown> {
  status: number
  headers: Headers
  /** Parsed JSON, else the text, else null. */
  body: T
  /** The `x-trace-id` of the request's trace, when it started one. */
  traceId?: string
}

export interface TraceRun {
  step: string
  status: 'completed' | 'failed' | 'skipped' | 'dead'
  attempt: number
  startedAt: number
  endedAt: number
  emits: { topic: string; data: unknown; messageGroupId?: string }[]
  logs: { level?: string; msg?: string; [k: string]: unknown }[]
  error?: { name: string; message: string; stack?: string }
  reason?: string
}

export interface TraceJson {
  traceId: string
  status: 'running' | 'completed' | 'failed'
  flows: string[]
  runs: TraceRun[]
  deliveries: { id: string; step: string; topic: string; status: string; attempts: number }[]
}

export interface CapturedEvent<T = unknown> {
  topic: string
  data: T
  traceId: string
  /** The step that emitted it (`__emit` for an event from outside). */
  step: string
  flows: string[]
  messageGroupId?: string
}

/** Motia's watcher, asynchronous: the events are read back from the Worker. */
export interface FlowWatcher<T = unknown> {
  getCapturedEvents(): Promise<CapturedEvent<T>[]>
  getLastCapturedEvent(): Promise<CapturedEvent<T> | undefined>
  getCapturedEvent(index: number): Promise<CapturedEvent<T> | undefined>
}

interface WatchDeps {
  system<R>(method: string, path: string): Promise<R>
  trace(traceId: string): Promise<TraceJson | null>
  /** Traces the tester started: read even when they began before the watch. */
  started: Set<string>
}

export function watchTopic<T>(topic: string, deps: WatchDeps): FlowWatcher<T> {
  const since = Date.now() - 1
  const before = new Set(deps.started)
  async function events(): Promise<CapturedEvent<T>[]> {
    const { traces } = await deps.system<{ traces: { traceId: string }[] }>('GET', `/__stepflare/traces?since=${since}&limit=1000`)
    const ids = new Set([...traces.map((t) => t.traceId), ...[...deps.started].filter((id) => !before.has(id))])
    const found: (CapturedEvent<T> & { at: number })[] = []
    for (const id of ids) {
      const t = await deps.trace(id)
      for (const run of t?.runs ?? []) {
        if (run.status !== 'completed' || run.endedAt < since) continue
        for (const e of run.emits) {
          if (e.topic !== topic) continue
          found.push({
            topic,
            data: e.data as T,
            traceId: id,
            step: run.step,
            flows: t?.flows ?? [],
            ...(e.messageGroupId ? { messageGroupId: e.messageGroupId } : {}),
            at: run.endedAt,
          })
        }
      }
    }
    return found.sort((a, b) => a.at - b.at).map(({ at: _at, ...e }) => e)
  }
  return {
    getCapturedEvents: events,
    getLastCapturedEvent: async () => (await events()).at(-1),
    getCapturedEvent: async (i) => (await events())[i],
  }
}
