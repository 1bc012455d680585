import type { EventConfig, Handlers } from 'stepflare'
import { z } from 'zod'

export const config: EventConfig = {
  type: 'event',
  name: 'ChargePayment',
  description: 'Charges the order amount',
  subscribes: ['order.created'],
  emits: ['order.paid'],
  input: z.object({ id: z.string(), amount: z.number(), sentAt: z.number().optional() }),
  flows: ['orders'],
}

export const handler: Handlers['ChargePayment'] = async (input, { emit, state }) => {
  await state.update('orders', input.id, [{ type: 'set', path: 'status', value: 'paid' }])
  await emit({ topic: 'order.paid', data: input })
}
