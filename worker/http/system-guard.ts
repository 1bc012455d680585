/**
 * The system routes' guard, and how a browser opens the workbench in production.
 *
 * Under `stepflare dev` (`STEPFLARE_DEV=1`) the routes need no token. Otherwise a request gets in
 * with `Authorization: Bearer <STEPFLARE_SYSTEM_TOKEN>`, or with the workbench's session cookie;
 * anything else is answered 404, as if the routes did not exist. A browser cannot send the bearer
 * header when it navigates, so the workbench is opened once with
 * `/__stepflare/?token=<STEPFLARE_SYSTEM_TOKEN>` — the only request where `?token=` counts: the
 * Worker answers with an HttpOnly, SameSite=Strict session cookie scoped to `/__stepflare` (a
 * signed expiry, never the token; see system-auth.ts) and redirects to the bare URL, so the token
 * leaves the address bar and the history. Either way, a request that another web page could
 * have made is then refused (cross-site.ts).
 * @module
 */
import type { Context, Next } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import type { StepflareEnv } from '../env'
import { CALLBACK_PATH } from '../python/bridge'
import { crossSiteRefusal } from './cross-site'
import { jsonError } from './response'
import { bearerOf, issueSession, SESSION_COOKIE, SESSION_TTL_MS, sessionValid, systemToken, tokenMatches } from './system-auth'

type Ctx = Context<{ Bindings: StepflareEnv }>

/** The cookie earlier versions kept the raw token in; cleared when a session is issued. */
const LEGACY_COOKIE = 'stepflare_token'

function isBootstrap(c: Ctx): boolean {
  return c.req.method === 'GET' && (c.req.path === '/__stepflare/' || c.req.path === '/__stepflare')
}

/** Whether this request may use the system routes. */
export async function systemAllowed(c: Ctx): Promise<boolean> {
  if (c.env.STEPFLARE_DEV === '1') return true
  const token = systemToken(c.env)
  if (!token) return false
  const bearer = bearerOf(c.req.header('authorization'))
  if (bearer !== undefined) return tokenMatches(bearer, token)
  if (await sessionValid(getCookie(c, SESSION_COOKIE), token)) return true
  const given = isBootstrap(c) ? c.req.query('token') : undefined
  return given !== undefined && tokenMatches(given, token)
}

export async function systemGuard(c: Ctx, next: Next): Promise<Response | undefined> {
  // Python callbacks carry their own per-invocation signature.
  if (c.req.path === CALLBACK_PATH) {
    await next()
    return
  }
  if (!(await systemAllowed(c))) return jsonError(404, { error: 'Not Found', method: c.req.method, path: c.req.path })
  const refused = crossSiteRefusal(c.req.raw)
  if (refused) return refused
  await next()
}

/**
 * On the workbench page, after the guard let a `?token=` through: set the session cookie and drop
 * the token from the URL. Returns the redirect, or undefined when there is nothing to do.
 */
export async function rememberToken(c: Ctx): Promise<Response | undefined> {
  const url = new URL(c.req.url)
  const token = systemToken(c.env)
  if (!url.searchParams.has('token') || !token || c.env.STEPFLARE_DEV === '1') return undefined
  const secure = url.protocol === 'https:'
  setCookie(c, SESSION_COOKIE, await issueSession(token), {
    path: '/__stepflare',
    httpOnly: true,
    sameSite: 'Strict',
    secure,
    maxAge: SESSION_TTL_MS / 1000,
  })
  if (getCookie(c, LEGACY_COOKIE) !== undefined) setCookie(c, LEGACY_COOKIE, '', { path: '/__stepflare', maxAge: 0, secure })
  url.searchParams.delete('token')
  return c.redirect(`/__stepflare/${url.search}${url.hash}`, 303)
}
