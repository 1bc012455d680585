import type { ApiRouteConfig, Handlers } from 'stepflare'

export const config: ApiRouteConfig = {
  type: 'api',
  name: 'GetOrder',
  path: '/orders/:id',
  method: 'GET',
  emits: [],
  flows: ['orders'],
}

export const handler: Handlers['GetOrder'] = async (req, { state }) => {
  const order = await state.get('orders', req.pathParams.id as string)
  return order ? { status: 200, body: order } : { status: 404, body: { error: 'order not found' } }
}
