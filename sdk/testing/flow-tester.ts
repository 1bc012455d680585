/**
 * `createFlowTester`: drives a whole stepflare project inside workerd, for
 * `@cloudflare/vitest-pool-workers` tests. Requests go to the Worker through
 * `exports.default.fetch` (from `cloudflare:workers`), events and reads through the system routes
 * (`/__stepflare/emit`, `/__stepflare/traces/:id`, `/__stepflare/state/:group`,
 * `/__stepflare/streams/:stream/:group`), so a test sees what a client and the workbench see.
 * The pool must run the Worker with `STEPFLARE_DEV=1` (or the tester given a `token`).
 *
 * @example
 * ```ts
 * const flow = createFlowTester()
 * const res = await flow.post('/orders', { id: 'o1', amount: 5 })
 * const trace = await flow.waitForTrace(res.traceId)
 * expect(trace.runs.map((r) => r.step)).toEqual(['CreateOrder', 'ChargePayment'])
 * expect(await flow.state.get('orders', 'o1')).toMatchObject({ status: 'paid' })
 * ```
 * @module
 */
import { type FlowResponse, type FlowWatcher, type TraceJson, watchTopic } from './flow-types'

export type { CapturedEvent, FlowResponse, FlowWatcher, TraceJson } from './flow-types'

/** Anything with a `fetch(request)`: `exports.default` in a pool test, or a service binding. */
export interface FetchTarget {
  fetch(request: Request): Promise<Response>
}

export interface FlowTesterOptions {
  /** The Worker to drive (default: `exports.default` from `cloudflare:workers`). */
  worker?: FetchTarget
  /** Origin of the requests (default `http://stepflare.test`). */
  baseUrl?: string
  /** Bearer token for the system routes when the Worker does not run with `STEPFLARE_DEV=1`. */
  token?: string
  /** How long `waitForTrace` and `idle` wait by default (default 10 s). */
  timeoutMs?: number
}

export interface RequestOptions {
  headers?: Record<string, string>
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function defaultWorker(): Promise<FetchTarget> {
  // Loaded on first use, so this module can be imported outside workerd (createMockContext tests).
  const specifier = 'cloudflare:workers'
  const mod = (await import(/* @vite-ignore */ specifier)) as { exports?: { default?: FetchTarget } }
  const worker = mod.exports?.default
  if (!worker || typeof worker.fetch !== 'function') {
    throw new Error('createFlowTester: no `exports.default` in cloudflare:workers; run the test in @cloudflare/vitest-pool-workers or pass { worker }')
  }
  return worker
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text()
  if (!text) return null
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

export function createFlowTester(options: FlowTesterOptions = {}) {
  // A loopback name: under STEPFLARE_DEV=1 the Worker answers only hosts `stepflare dev` would.
  const base = options.baseUrl ?? 'http://localhost'
  const timeoutMs = options.timeoutMs ?? 10_000
  let worker: Promise<FetchTarget> | undefined = options.worker ? Promise.resolve(options.worker) : undefined
  const started = new Set<string>()

  async function request(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<FlowResponse> {
    worker ??= defaultWorker()
    const headers: Record<string, string> = { ...(opts.headers ?? {}) }
    if (path.startsWith('/__stepflare')) {
      if (options.token) headers.authorization = `Bearer ${options.token}`
      // Writes to the system routes must show they are not a cross-site form (worker/http/cross-site.ts).
      headers['x-stepflare-request'] = 'flow-tester'
    }
    let payload: string | undefined
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body)
      headers['content-type'] ??= 'application/json'
    }
    const res = await (await worker).fetch(new Request(`${base}${path}`, { method, headers, body: payload }))
    const traceId = res.headers.get('x-trace-id') ?? undefined
    if (traceId) started.add(traceId)
    return { status: res.status, headers: res.headers, body: await readBody(res), traceId }
  }

  async function system<T>(method: string, path: string, body?: unknown): Promise<T> {
    const r = await request(method, path, body)
    if (r.status === 404 && (r.body as { error?: string } | null)?.error === 'Not Found') {
      throw new Error(
        `${method} ${path} answered 404: run the Worker with STEPFLARE_DEV=1 (cloudflareTest({ miniflare: { bindings: { STEPFLARE_DEV: '1' } } })) or pass { token }`,
      )
    }
    return r.body as T
  }

  async function trace(traceId: string): Promise<TraceJson | null> {
    const r = await request('GET', `/__stepflare/traces/${encodeURIComponent(traceId)}`)
    return r.status === 200 ? (r.body as TraceJson) : null
  }

  /** Waits until the trace has no unfinished work (every delivery done, skipped or dead). */
  async function waitForTrace(traceId: string, opts: { timeoutMs?: number } = {}): Promise<TraceJson> {
    const deadline = Date.now() + (opts.timeoutMs ?? timeoutMs)
    let last: TraceJson | null = null
    while (Date.now() < deadline) {
      last = await trace(traceId)
      if (last && last.status !== 'running') return last
      await sleep(25)
    }
    throw new Error(`trace ${traceId} still has work after ${opts.timeoutMs ?? timeoutMs} ms: ${JSON.stringify(last)}`)
  }

  /** Waits until no trace in the Worker is running: every event of every flow has been handled. */
  async function idle(opts: { timeoutMs?: number } = {}): Promise<void> {
    const deadline = Date.now() + (opts.timeoutMs ?? timeoutMs)
    while (Date.now() < deadline) {
      // The trace shards' own count (the trace list is updated a moment after a change).
      const { activeTraces } = await system<{ activeTraces: number }>('GET', '/__stepflare/queues')
      if (activeTraces === 0) return
      await sleep(25)
    }
    throw new Error(`the Worker still has running traces after ${opts.timeoutMs ?? timeoutMs} ms`)
  }

  const tester = {
    request,
    post: (path: string, body?: unknown, opts?: RequestOptions) => request('POST', path, body ?? {}, opts),
    get: (path: string, opts?: RequestOptions) => request('GET', path, undefined, opts),
    put: (path: string, body?: unknown, opts?: RequestOptions) => request('PUT', path, body ?? {}, opts),
    delete: (path: string, opts?: RequestOptions) => request('DELETE', path, undefined, opts),
    /** Emits an event from outside any step, in a new trace (or `traceId`); returns the trace id. */
    async emit(event: { topic: string; data: unknown; messageGroupId?: string; traceId?: string }): Promise<{ traceId: string }> {
      const r = await request('POST', '/__stepflare/emit', event)
      if (r.status !== 200 || !r.traceId) throw new Error(`emit ${event.topic} answered ${r.status}: ${JSON.stringify(r.body)}`)
      return { traceId: r.traceId }
    },
    trace,
    waitForTrace,
    idle,
    /** Motia's name for {@link idle}. */
    waitEvents: idle,
    /** Runs a cron step now, as its schedule would. */
    runCron: (step: string) => system<{ traceId?: string; status?: string }>('POST', `/__stepflare/cron/${encodeURIComponent(step)}/run`),
    state: {
      async group<T = unknown>(group: string): Promise<{ key: string; value: T }[]> {
        return (await system<{ items: { key: string; value: T }[] }>('GET', `/__stepflare/state/${encodeURIComponent(group)}`)).items
      },
      async get<T = unknown>(group: string, key: string): Promise<T | null> {
        return ((await tester.state.group<T>(group)).find((i) => i.key === key)?.value ?? null) as T | null
      },
      async set<T = unknown>(group: string, key: string, value: T): Promise<void> {
        await system('PUT', `/__stepflare/state/${encodeURIComponent(group)}/${encodeURIComponent(key)}`, value)
      },
    },
    streams: {
      async group<T = unknown>(stream: string, groupId: string): Promise<(T & { id: string })[]> {
        const r = await system<{ items?: (T & { id: string })[]; error?: string }>(
          'GET',
          `/__stepflare/streams/${encodeURIComponent(stream)}/${encodeURIComponent(groupId)}`,
        )
        if (!r.items) throw new Error(`stream ${stream}: ${r.error ?? 'no items in the answer'}`)
        return r.items
      },
      async get<T = unknown>(stream: string, groupId: string, id: string): Promise<(T & { id: string }) | null> {
        return (await tester.streams.group<T>(stream, groupId)).find((i) => i.id === id) ?? null
      },
    },
    deadLetters: async (filter: { step?: string; topic?: string; traceId?: string } = {}) =>
      (await system<{ deadLetters: unknown[] }>('GET', `/__stepflare/dlq?${new URLSearchParams(filter as Record<string, string>)}`)).deadLetters,
    /** Captures the events emitted on `topic` from now on (in any trace). */
    watch: <T = unknown>(topic: string): FlowWatcher<T> => watchTopic<T>(topic, { system, trace, started }),
    sleep,
    /** Kept for Motia's tester shape; there is nothing to close. */
    close: async () => {},
  }
  return tester
}

export type FlowTester = ReturnType<typeof createFlowTester>
