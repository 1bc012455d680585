/**
 * The WebSocket upgrade: Motia 0.13's `streamAuth.authenticate` runs here (a throw answers 401,
 * null is an anonymous connection); the token comes as `Sec-WebSocket-Protocol: Authorization,<token>`
 * or `?authToken=`.
 * @module
 */
import type { StreamAuthContext } from '../../sdk/handler-types'
import type { StepflareEnv } from '../env'
import { jsonError } from '../http/response'
import type { Runtime } from '../runtime'
import { StreamConnection } from './connection'

export const STREAM_PATHS = new Set(['/', '/__stepflare/streams'])

export function isStreamUpgrade(request: Request): boolean {
  return request.headers.get('upgrade')?.toLowerCase() === 'websocket' && STREAM_PATHS.has(new URL(request.url).pathname)
}

export async function handleStreamUpgrade(request: Request, env: StepflareEnv, rt: Runtime): Promise<Response> {
  const protocols = (request.headers.get('sec-websocket-protocol') ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
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
  const pair = new WebSocketPair()
  const [client, server] = [pair[0], pair[1]]
  server.accept()
  const conn = new StreamConnection(server, env, rt, auth)
  server.addEventListener('message', (e) => conn.onMessage(e.data as string | ArrayBuffer))
  server.addEventListener('close', () => conn.close())
  server.addEventListener('error', () => conn.close())
  // Browsers fail the handshake unless one of the offered subprotocols is echoed.
  const chosen = protocols[0]
  return new Response(null, { status: 101, webSocket: client, headers: chosen ? { 'sec-websocket-protocol': chosen } : {} })
}

/** The token a client sent, by Motia's conventions. */
export function streamToken(request: Request): string | null {
  const protocols = (request.headers.get('sec-websocket-protocol') ?? '').split(',').map((p) => p.trim())
  const i = protocols.indexOf('Authorization')
  if (i >= 0 && protocols[i + 1]) return protocols[i + 1] as string
  return new URL(request.url).searchParams.get('authToken')
}
