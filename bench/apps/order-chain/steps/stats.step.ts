import type { ApiRouteConfig, Handlers } from 'stepflare'

// GET /stats and POST /reset follow the contract of bench/load.mjs, so the demo is benchmarkable.
export const config: ApiRouteConfig = {
  type: 'api',
  name: 'OrderStats',
  path: '/stats',
  method: 'GET',
  emits: [],
  flows: ['orders'],
}

export const handler: Handlers['OrderStats'] = async (_req, { state }) => {
  const done = await state.getGroup<{ latency: number | null; doneAt: number }>('order-stats')
  return {
    status: 200,
    body: {
      done: done.length,
      latencies: done.flatMap((d) => (d.latency === null ? [] : [d.latency])),
      lastDoneAt: done.reduce((m, d) => Math.max(m, d.doneAt), 0) || undefined,
    },
  }
}
