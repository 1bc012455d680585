/**
 * Under `stepflare dev`, every request's Host must name this machine, as Vite checks it: a DNS
 * rebinding attack points a name the attacker owns at 127.0.0.1 and then drives the dev server
 * from a page on that name, and the one thing it cannot forge is that name in the Host header.
 * Allowed: `localhost` and `*.localhost`, IP addresses (rebinding needs a name), and the
 * project's `dev.allowedHosts` (`.example.com` also allows its subdomains; `true` allows any).
 * @module
 */
import { jsonError } from './response'

export type AllowedHosts = readonly string[] | true | undefined

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/

/** The host name of a Host header: lower case, without the port, IPv6 without brackets. */
export function hostName(header: string): string {
  const h = header.trim().toLowerCase()
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined)
  const colon = h.indexOf(':')
  return (colon >= 0 && h.indexOf(':', colon + 1) < 0 ? h.slice(0, colon) : h).replace(/\.$/, '')
}

export function hostAllowed(name: string, allowed: AllowedHosts): boolean {
  if (allowed === true) return true
  if (name === 'localhost' || name.endsWith('.localhost') || IPV4.test(name) || name.includes(':')) return true
  for (const entry of allowed ?? []) {
    const e = entry.toLowerCase()
    if (e.startsWith('.') ? name === e.slice(1) || name.endsWith(e) : name === e) return true
  }
  return false
}

/** A checker that remembers each Host header's verdict (a dev server sees very few). */
export function devHostCheck(allowed: AllowedHosts): (request: Request) => Response | undefined {
  const verdicts = new Map<string, boolean>()
  return (request) => {
    // A request made inside the runtime (tests, service bindings) may have no Host header: its URL's host stands for it.
    const header = request.headers.get('host') ?? new URL(request.url).host
    let ok = verdicts.get(header)
    if (ok === undefined) {
      ok = header !== '' && hostAllowed(hostName(header), allowed)
      if (verdicts.size < 256) verdicts.set(header, ok)
    }
    if (ok) return undefined
    return jsonError(403, {
      error: 'Forbidden host',
      host: header,
      message: `stepflare dev answers only requests for this machine; ${JSON.stringify(header)} is not allowed. To allow it, add it to dev.allowedHosts in stepflare.config.ts.`,
    })
  }
}
