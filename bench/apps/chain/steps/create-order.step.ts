import type { ApiRequest, ApiRouteConfig, FlowContext } from 'stepflare'
import { z } from 'zod'

// The order chain of bench/baselines/chain-worker, as steps: the same state writes, no logs.
const bodySchema = z.object({ id: z.string().min(1), amount: z.number().positive(), customer: z.string().optional(), sentAt: z.number().optional() })

export const config: ApiRouteConfig = {
  type: 'api',
  name: 'CreateOrder',
  path: '/orders',
  method: 'POST',
  bodySchema,
  emits: ['order.created'],
  flows: ['orders'],
}

export const handler = async (req: ApiRequest<z.infer<typeof bodySchema>>, { emit, state }: FlowContext) => {
  const order = req.body
  await state.set('orders', order.id, { ...order, status: 'created' })
  await emit({ topic: 'order.created', data: order })
  return { status: 201, body: { id: order.id, status: 'created' } }
}
