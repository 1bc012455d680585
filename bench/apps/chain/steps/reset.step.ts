import type { ApiRouteConfig, FlowContext } from 'stepflare'

export const config: ApiRouteConfig = { type: 'api', name: 'Reset', path: '/reset', method: 'POST', emits: [] }

export const handler = async (_req: unknown, { state }: FlowContext) => {
  await Promise.all([state.clear('order-stats'), state.clear('orders')])
  return { status: 204, body: null }
}
