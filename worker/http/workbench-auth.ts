/**
 * The workbench in production. The system routes want `Authorization: Bearer <token>`, which a
 * browser cannot send when it navigates, so the workbench is opened once with
 * `/__stepflare/?token=<STEPFLARE_SYSTEM_TOKEN>`: the Worker checks it like the bearer header,
 * answers with an HttpOnly, SameSite=Strict cookie scoped to `/__stepflare` and redirects to the
 * bare URL (the token leaves the address bar and the history). Later requests under
 * `/__stepflare/` carry the cookie, which `cookieToken` turns back into the bearer header before
 * the system routes' guard reads it. In `stepflare dev` (`STEPFLARE_DEV=1`) none of this applies.
 * @module
 */
import type { Context, Next } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import type { StepflareEnv } from '../env'

type Ctx = Context<{ Bindings: StepflareEnv }>

export const WORKBENCH_COOKIE = 'stepflare_token'
const COOKIE_MAX_AGE = 12 * 3600

function tokenConfigured(c: Ctx): string | undefined {
  const token = c.env.STEPFLARE_SYSTEM_TOKEN
  return typeof token === 'string' && token !== '' ? token : undefined
}

/** Before the guard: a workbench cookie stands for the bearer header (never in dev, never over a header). */
export async function cookieToken(c: Ctx, next: Next): Promise<void> {
  if (c.env.STEPFLARE_DEV !== '1' && tokenConfigured(c) && !c.req.header('authorization')) {
    const token = getCookie(c, WORKBENCH_COOKIE)
    if (token) {
      const headers = new Headers(c.req.raw.headers)
      headers.set('authorization', `Bearer ${token}`)
      c.req.raw = new Request(c.req.raw, { headers })
    }
  }
  await next()
}

/**
 * After the guard let a `?token=` through: remember it in the cookie and drop it from the URL.
 * Returns the redirect, or undefined when there is nothing to remember.
 */
export function rememberToken(c: Ctx): Response | undefined {
  const url = new URL(c.req.url)
  const given = url.searchParams.get('token')
  const token = tokenConfigured(c)
  if (!given || !token || given !== token) return undefined
  setCookie(c, WORKBENCH_COOKIE, given, {
    path: '/__stepflare',
    httpOnly: true,
    sameSite: 'Strict',
    secure: url.protocol === 'https:',
    maxAge: COOKIE_MAX_AGE,
  })
  url.searchParams.delete('token')
  return c.redirect(`${url.pathname}${url.search}${url.hash}`, 303)
}
