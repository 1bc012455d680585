import type { ApiRequest, ApiRouteConfig, FlowContext } from 'stepflare'

// POST /orders {id, failRate, poison?, sentAt}: starts Order → Reserve → Finish.
export const config: ApiRouteConfig = { type: 'api', name: 'Order', path: '/orders', method: 'POST', emits: ['soak.order'] }

export const handler = async (req: ApiRequest<{ id: string; failRate: number; poison?: boolean; sentAt: number }>, { emit, state }: FlowContext) => {
  await state.set('soak-orders', req.body.id, { status: 'new' })
  await emit({ topic: 'soak.order', data: req.body })
  return { status: 202, body: { id: req.body.id } }
}
