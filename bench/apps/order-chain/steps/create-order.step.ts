import type { ApiRouteConfig, Handlers } from 'stepflare'
import { z } from 'zod'

const bodySchema = z.object({
  id: z.string().min(1),
  amount: z.number().positive(),
  customer: z.string().optional(),
  /** Client send time (ms), used by the load harness to measure end-to-end latency. */
  sentAt: z.number().optional(),
})

export const config: ApiRouteConfig = {
  type: 'api',
  name: 'CreateOrder',
  description: 'Accepts an order and starts the order flow',
  path: '/orders',
  method: 'POST',
  bodySchema,
  emits: ['order.created'],
  flows: ['orders'],
}

export const handler: Handlers['CreateOrder'] = async (req, { emit, state, logger }) => {
  const order = bodySchema.parse(req.body)
  await state.set('orders', order.id, { ...order, status: 'created' })
  await emit({ topic: 'order.created', data: order })
  logger.info('order created', { id: order.id })
  return { status: 201, body: { id: order.id, status: 'created' } }
}
