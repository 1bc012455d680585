/**
 * The workbench under `/__stepflare/`: the UI itself (one HTML page, hashed script and style
 * files) and the read-only JSON routes it needs besides the system routes — the manifest, the log
 * feed, the stream groups and a group's items. Mounted after the system routes' guard, so it is
 * open in `stepflare dev` and otherwise answers 404 unless the system token is given (see
 * `system-guard.ts` for how a browser gives it).
 * @module
 */
import type { Context, Hono } from 'hono'
import type { StepflareEnv } from '../env'
import type { Runtime } from '../runtime'
import { streamObjectName } from '../streams/registry'
import { parseQuery } from './query-params'
import { rememberToken } from './system-guard'
import { NOT_BUILT_PAGE, workbenchAsset } from './workbench-assets'
import { manifestVersion, workbenchManifest } from './workbench-manifest'
import { LOGS_QUERY, recentLogs, recentStreamGroups, STREAMS_QUERY } from './workbench-reads'

type Ctx = Context<{ Bindings: StepflareEnv }>

/**
 * The workbench loads only its own hashed files and talks only to its own origin. React and React
 * Flow set `style` attributes, hence `'unsafe-inline'` for styles (never for scripts); the icon is
 * a `data:` URL.
 */
export const WORKBENCH_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

const SECURITY_HEADERS = {
  'content-security-policy': WORKBENCH_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
}

async function page(c: Ctx): Promise<Response> {
  const remembered = await rememberToken(c)
  if (remembered) return remembered
  const index = workbenchAsset('index.html')
  return new Response(index?.body ?? NOT_BUILT_PAGE, {
    status: index ? 200 : 503,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...SECURITY_HEADERS },
  })
}

export function mountWorkbench(app: Hono<{ Bindings: StepflareEnv }>, rt: Runtime): void {
  app.get('/__stepflare', (c) => c.redirect(`/__stepflare/${new URL(c.req.url).search}`, 302))
  app.get('/__stepflare/', page)

  app.get('/__stepflare/assets/:file', (c) => {
    const asset = workbenchAsset(`assets/${c.req.param('file')}`)
    if (!asset) return c.json({ error: 'Not Found', path: c.req.path }, 404)
    // File names carry a content hash: a new build is a new name.
    return new Response(asset.body, {
      headers: { 'content-type': asset.type, 'cache-control': 'public, max-age=31536000, immutable', ...SECURITY_HEADERS },
    })
  })

  app.get('/__stepflare/manifest', (c) => c.json(workbenchManifest(rt)))

  // Polled by the open workbench: the manifest's version (a new one after a reload or a deploy) and,
  // under `stepflare dev`, whether the project's last change failed to load (the CLI knows).
  app.get('/__stepflare/dev/status', async (c) => {
    const tools = c.env.STEPFLARE_DEV_TOOLS_URL
    const dev = tools
      ? await fetch(`${tools}/status`, { signal: AbortSignal.timeout(1000) })
          .then((r) => (r.ok ? (r.json() as Promise<Record<string, unknown>>) : {}))
          .catch(() => ({}))
      : {}
    return c.json({ version: manifestVersion(rt), ...dev })
  })

  app.get('/__stepflare/logs', async (c) => {
    const q = parseQuery(c.req.url, LOGS_QUERY)
    return q.ok ? c.json(await recentLogs(c.env, q.values)) : q.response
  })

  app.get('/__stepflare/streams', async (c) => {
    const q = parseQuery(c.req.url, STREAMS_QUERY)
    if (!q.ok) return q.response
    const seen = await recentStreamGroups(c.env, q.values)
    const streams = workbenchManifest(rt).streams.map((s) => ({ ...s, groups: seen.filter((g) => g.stream === s.name) }))
    return c.json({ streams })
  })

  app.get('/__stepflare/streams/:stream/:group', async (c) => {
    const { stream, group } = c.req.param()
    if (!rt.streams.has(stream)) return c.json({ error: 'Stream not found', stream }, 404)
    const items = await c.env.STEPFLARE_STREAM.getByName(streamObjectName(stream, group)).getGroupItems()
    return c.json({ stream, groupId: group, items })
  })
}
