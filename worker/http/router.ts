/**
 * The Worker's HTTP surface: API steps on Hono routes, the system routes under `/__stepflare`,
 * CORS, a body-size limit (413), and JSON answers for 404, 405 and 500.
 * @module
 */
import { Hono, type MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { cors } from 'hono/cors'
import type { StepflareEnv } from '../env'
import { isPayloadLimitError } from '../payload-limits'
import type { RouteBinding, Runtime } from '../runtime'
import { apiRoute } from './api-route'
import { isSystemPath } from './cross-site'
import { jsonError } from './response'
import { mountSystemRoutes } from './system-routes'
import { mountWorkbench } from './workbench-routes'

export const DEFAULT_BODY_LIMIT = 1024 * 1024

function pathPattern(path: string): RegExp {
  const body = path
    .replace(/\/+$/, '')
    .split('/')
    .map((seg) => (seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/')
  return new RegExp(`^${body || ''}/?$`)
}

type App = Hono<{ Bindings: StepflareEnv }>
type Middleware = MiddlewareHandler<{ Bindings: StepflareEnv }>
type Handler = ReturnType<typeof apiRoute>

/** The Worker's HTTP entry: `fetch`, and its two apps (for tests). */
export interface HttpRouter {
  fetch(request: Request, env: StepflareEnv, ctx: ExecutionContext): Response | Promise<Response>
  /** Every route, without the CORS and body-limit middleware. */
  plain: App
  /** Every route behind that middleware, for requests with a body or under CORS. */
  layered: App
}

/**
 * Two apps with the same routes. A request with a body, or one CORS applies to, goes through the one
 * with the CORS and body-limit middleware; the rest (most GETs) skip Hono's middleware dispatch,
 * which a CPU profile showed on every request.
 */
export function createRouter(rt: Runtime): HttpRouter {
  const apiConfig = rt.config.api ?? {}
  const corsOption = apiConfig.cors
  const corsMiddleware = cors(
    typeof corsOption === 'object'
      ? {
          origin: corsOption.origin ?? '*',
          allowHeaders: corsOption.allowHeaders,
          allowMethods: corsOption.allowMethods,
          credentials: corsOption.credentials,
          maxAge: corsOption.maxAge,
        }
      : { origin: (origin) => origin || '*', credentials: true, maxAge: 600, allowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'] },
  )
  // Permissive CORS in `stepflare dev` (as Motia); in production only when the project turns it on.
  // The dev default answers only requests that carry an Origin (every cross-origin browser request
  // does): other clients pay nothing for it.
  const withCors = (request: Request, env: StepflareEnv): boolean =>
    corsOption === undefined ? env.STEPFLARE_DEV === '1' && request.headers.has('origin') : corsOption !== false
  const limit = apiConfig.bodyLimit ?? DEFAULT_BODY_LIMIT
  const limiter = bodyLimit({ maxSize: limit, onError: (c) => c.json({ error: 'Payload Too Large', limit }, 413) })
  // One middleware for both, so a request pays one dispatch. The body-size limit applies to requests
  // with a body.
  const layer: Middleware = (c, next) => {
    const inner = c.req.raw.body
      ? async () => {
          // Called directly (not through Hono's chain), so its 413 answer is set here.
          const tooLarge = await limiter(c, next)
          if (tooLarge instanceof Response) c.res = tooLarge
        }
      : next
    // The system routes never answer with CORS headers: no other origin may read or drive them.
    return withCors(c.req.raw, c.env) && !isSystemPath(c.req.path) ? corsMiddleware(c, inner) : inner()
  }

  const routes = rt.routes.map((binding) => ({ binding, handler: apiRoute(rt, binding) }))
  const plain = createApp(rt, routes, null)
  const layered = createApp(rt, routes, layer)
  return {
    plain,
    layered,
    fetch: (request, env, ctx) => (request.body || withCors(request, env) ? layered : plain).fetch(request, env, ctx),
  }
}

function createApp(rt: Runtime, routes: { binding: RouteBinding; handler: Handler }[], layer: Middleware | null): App {
  const app: App = new Hono()
  if (layer) app.use('*', layer)

  mountSystemRoutes(app, rt)
  mountWorkbench(app, rt)

  const patterns: { re: RegExp; method: string }[] = []
  for (const { binding, handler } of routes) {
    app.on(binding.trigger.method, binding.trigger.path, handler)
    patterns.push({ re: pathPattern(binding.trigger.path), method: binding.trigger.method })
  }

  app.notFound((c) => {
    const allowed = [...new Set(patterns.filter((p) => p.re.test(c.req.path)).map((p) => p.method))]
    if (allowed.length > 0) {
      return jsonError(405, { error: 'Method Not Allowed', method: c.req.method, path: c.req.path, allowed }, { allow: allowed.join(', ') })
    }
    return jsonError(404, { error: 'Not Found', method: c.req.method, path: c.req.path })
  })
  app.onError((err, c) => {
    if (isPayloadLimitError(err))
      return jsonError(err.status, { error: err.status === 413 ? 'Payload Too Large' : 'Bad Request', message: err.message, limit: err.limit })
    console.error(
      JSON.stringify({ level: 'error', msg: 'unhandled error', path: c.req.path, error: { name: err.name, message: err.message, stack: err.stack } }),
    )
    return jsonError(500, { error: 'Internal server error' })
  })
  return app
}
