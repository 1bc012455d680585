import { exports } from 'cloudflare:workers'

export const BASE = 'http://app.test'

export function call(path: string, init?: RequestInit): Promise<Response> {
  return (exports as unknown as { default: Fetcher }).default.fetch(new Request(`${BASE}${path}`, init))
}

export function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return call(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

export interface TraceJson {
  status: string
  runs: { step: string; status: string; reason?: string; emits: { topic: string }[]; logs: { msg: string; level: string }[] }[]
  deliveries: { step: string; status: string; attempts: number }[]
}

/** Polls the trace until it is no longer running. */
export async function settledTrace(traceId: string, timeoutMs = 10_000): Promise<TraceJson> {
  const deadline = Date.now() + timeoutMs
  let last: TraceJson | undefined
  while (Date.now() < deadline) {
    const r = await call(`/__stepflare/traces/${traceId}`)
    if (r.ok) {
      last = (await r.json()) as TraceJson
      if (last.status !== 'running') return last
    } else await r.body?.cancel()
    await new Promise((res) => setTimeout(res, 25))
  }
  throw new Error(`trace ${traceId} still running after ${timeoutMs} ms: ${JSON.stringify(last)}`)
}
