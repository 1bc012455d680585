/**
 * What keeps other web pages off the system routes (in `stepflare dev`, where they need no token,
 * and in production, where the workbench's cookie rides along with same-site requests):
 * - a request whose `Origin` is not the Worker's own is refused, preflights included, and the
 *   system routes never answer with CORS headers, so no other origin can read them;
 * - a write (POST, PUT, DELETE, PATCH) must carry something an HTML form or a `no-cors` fetch
 *   cannot send: `Content-Type: application/json`, an `X-Stepflare-Request` header or an
 *   `Authorization` header.
 * @module
 */
import { jsonError } from './response'

/** The header the workbench and the CLI send on writes that have no JSON body. */
export const REQUEST_HEADER = 'x-stepflare-request'

const WRITES = new Set(['POST', 'PUT', 'DELETE', 'PATCH'])

export function isSystemPath(path: string): boolean {
  return path === '/emit' || path === '/__stepflare' || path.startsWith('/__stepflare/')
}

function isJson(contentType: string | null): boolean {
  if (!contentType) return false
  const type = contentType.split(';', 1)[0]?.trim().toLowerCase() ?? ''
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'))
}

/** A 403 for a request another web page could have made, or undefined. */
export function crossSiteRefusal(request: Request): Response | undefined {
  const origin = request.headers.get('origin')
  if (origin !== null) {
    const own = new URL(request.url).origin
    if (origin !== own) {
      return jsonError(403, {
        error: 'Forbidden',
        message: `stepflare's system routes answer only their own origin (${own}); this request came from ${origin}`,
      })
    }
  }
  if (!WRITES.has(request.method)) return undefined
  const h = request.headers
  if (isJson(h.get('content-type')) || h.has(REQUEST_HEADER) || h.has('authorization')) return undefined
  return jsonError(403, {
    error: 'Forbidden',
    message: `a ${request.method} to a system route needs Content-Type: application/json or an ${REQUEST_HEADER} header (a cross-site form can send neither)`,
  })
}
