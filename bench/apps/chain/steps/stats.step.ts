import type { ApiRouteConfig, FlowContext } from 'stepflare'

export const config: ApiRouteConfig = { type: 'api', name: 'Stats', path: '/stats', method: 'GET', emits: [] }

export const handler = async (_req: unknown, { state }: FlowContext) => {
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
