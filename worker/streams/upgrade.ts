/**
 * The stream WebSocket (at `/`, where Motia's clients connect, and at `/__stepflare/streams`).
 * Motia 0.13's `streamAuth.authenticate` runs here — a throw answers 401, null is an anonymous
 * connection — then the socket is handed to one of the stream hubs, where it hibernates.
 * @module
 */
import { AUTH_HEADER } from '../../objects/stream-hub'
import type { StreamAuthContext } from '../../sdk/handler-types'
import type { StepflareEnv } from '../env'
import { jsonError } from '../http/response'
import type { Runtime } from '../runtime'

export const STREAM_PATHS = new Set(['/', '/__stepflare/streams'])
export const DEFAULT_HUBS = 4

export function isStreamUpgrade(request: Request): boolean {
  return request.headers.get('upgrade')?.toLowerCase() === 'websocket' && STREAM_PATHS.has(new URL(request.url).pathname)
}

export async function handleStreamUpgrade(request: Request, env: StepflareEnv, rt: Runtime): Promise<Response> {
  const headers: Record<string, string> = {}
  request.headers.forEach((v, k) => {
    headers[k] = v
  })
  let auth: StreamAuthContext | null = null
  const authenticate = rt.config.streamAuth?.authenticate
  if (authenticate) {
    try {
      auth = ((await authenticate({ headers, url: request.url })) ?? null) as StreamAuthContext | null
    } catch (err) {
      return jsonError(401, { error: 'Unauthorized', message: (err as Error).message })
    }
  }
  const hub = `hub:${Math.floor(Math.random() * (rt.config.streams?.hubs ?? DEFAULT_HUBS))}`
  const forwarded = new Request(`https://hub.internal/connect?hub=${encodeURIComponent(hub)}`, request)
  forwarded.headers.set(AUTH_HEADER, JSON.stringify(auth))
  return env.STEPFLARE_HUB.getByName(hub).fetch(forwarded)
}
