import type { ApiRouteConfig, ApiRouteHandler } from 'stepflare'

// The stepflare side of bench/api-latency.mjs: one API step, the same answer as the bare Hono Worker.
export const config: ApiRouteConfig = {
  type: 'api',
  name: 'Hello',
  path: '/hello',
  method: 'GET',
  emits: [],
  flows: ['bench'],
}

// ApiRouteHandler rather than Handlers['Hello']: the repo's typecheck (which covers bench/) runs without the
// generated .stepflare/types.d.ts that fills Handlers.
export const handler: ApiRouteHandler = async () => {
  return { status: 200, body: { hello: 'world' } }
}
