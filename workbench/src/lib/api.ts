/** Calls to the Worker's `/__stepflare/*` routes (same origin; the production cookie rides along). */

export const BASE = '/__stepflare'

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(typeof body === 'object' && body && 'error' in body ? String((body as { error: unknown }).error) : `HTTP ${status}`)
  }
}

async function parse<T>(r: Response): Promise<T> {
  const text = await r.text()
  const body = text ? JSON.parse(text) : null
  if (!r.ok) throw new ApiError(r.status, body)
  return body as T
}

export function get<T>(path: string, signal?: AbortSignal): Promise<T> {
  return fetch(`${BASE}${path}`, { signal, credentials: 'same-origin' }).then((r) => parse<T>(r))
}

export function send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  return fetch(`${BASE}${path}`, {
    method,
    credentials: 'same-origin',
    // The system routes refuse a write without JSON or this header: a cross-site form sends neither.
    headers: body === undefined ? { 'x-stepflare-request': 'workbench' } : { 'content-type': 'application/json', 'x-stepflare-request': 'workbench' },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).then((r) => parse<T>(r))
}

export const enc = encodeURIComponent

export function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v))
  const s = q.toString()
  return s ? `?${s}` : ''
}
