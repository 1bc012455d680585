import type { ApiRouteConfig, FlowContext } from 'stepflare'

export const config: ApiRouteConfig = { type: 'api', name: 'SoakStats', path: '/stats', method: 'GET', emits: [] }

export const handler = async (_req: unknown, { state }: FlowContext) => {
  const done = await state.getGroup<{ latency: number; doneAt: number }>('soak-done')
  return { status: 200, body: { done: done.length, latencies: done.map((d) => d.latency), lastDoneAt: done.reduce((m, d) => Math.max(m, d.doneAt), 0) } }
}
