/**
 * Who may use the system routes outside `stepflare dev`: a request with
 * `Authorization: Bearer <STEPFLARE_SYSTEM_TOKEN>` (compared in constant time), or a browser holding
 * the workbench's session cookie. The cookie never holds the token: it is
 * `v1.<expiry>.<HMAC-SHA256(key = token, "stepflare.session.v1." + expiry)>`, so it expires by
 * itself, proves knowledge of the token without revealing it, and dies when the token is rotated.
 * @module
 */
import { base64url, fromBase64url } from '../encoding'

export const SESSION_COOKIE = 'stepflare_session'
export const SESSION_TTL_MS = 12 * 3600 * 1000
const SESSION_LABEL = 'stepflare.session.v1.'

const enc = new TextEncoder()
let cached: { token: string; digest: Promise<ArrayBuffer>; key: Promise<CryptoKey> } | undefined

function forToken(token: string) {
  if (cached?.token !== token) {
    cached = {
      token,
      digest: crypto.subtle.digest('SHA-256', enc.encode(token)),
      key: crypto.subtle.importKey('raw', enc.encode(token), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']),
    }
  }
  return cached
}

/** The configured system token, or undefined when none is set (the routes are then closed). */
export function systemToken(env: Readonly<Record<string, unknown>>): string | undefined {
  const token = env.STEPFLARE_SYSTEM_TOKEN
  return typeof token === 'string' && token !== '' ? token : undefined
}

/** Constant-time: both sides are hashed to 32 bytes first, so neither length nor content leaks. */
export async function tokenMatches(given: string, token: string): Promise<boolean> {
  const [a, b] = await Promise.all([crypto.subtle.digest('SHA-256', enc.encode(given)), forToken(token).digest])
  return crypto.subtle.timingSafeEqual(a, b)
}

export function bearerOf(header: string | null | undefined): string | undefined {
  const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null
  return m?.[1]
}

export async function issueSession(token: string, now = Date.now()): Promise<string> {
  const exp = String(now + SESSION_TTL_MS)
  const mac = await crypto.subtle.sign('HMAC', await forToken(token).key, enc.encode(SESSION_LABEL + exp))
  return `v1.${exp}.${base64url(new Uint8Array(mac))}`
}

export async function sessionValid(value: string | undefined, token: string, now = Date.now()): Promise<boolean> {
  const m = value ? /^v1\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(value) : null
  if (!m) return false
  const [, exp, mac] = m as unknown as [string, string, string]
  if (Number(exp) < now) return false
  return crypto.subtle.verify('HMAC', await forToken(token).key, fromBase64url(mac), enc.encode(SESSION_LABEL + exp))
}
