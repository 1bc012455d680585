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

// The same work as the hand-written chain (bench/baselines/chain-worker): the body is validated
// once (by the framework, against bodySchema), and nothing is logged.
export const handler: Handlers['CreateOrder'] = async (req, { emit, state }) => {
  const order = req.body as z.infer<typeof bodySchema>
  await state.set('orders', order.id, { ...order, status: 'created' })
  await emit({ topic: 'order.created', data: order })
  return { status: 201, body: { id: order.id, status: 'created' } }
}
