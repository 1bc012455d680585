import type { ApiRouteConfig, Handlers } from 'stepflare'

export const config: ApiRouteConfig = {
  type: 'api',
  name: 'ResetStats',
  path: '/reset',
  method: 'POST',
  emits: [],
  flows: ['orders'],
}

export const handler: Handlers['ResetStats'] = async (_req, { state }) => {
  await Promise.all([state.clear('order-stats'), state.clear('orders')])
  return { status: 204, body: null }
}
