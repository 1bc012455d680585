import type { EventConfig, Handlers } from 'stepflare'
import { z } from 'zod'

export const config: EventConfig = {
  type: 'event',
  name: 'FulfilOrder',
  description: 'Marks the order fulfilled and records its end-to-end latency',
  subscribes: ['order.paid'],
  emits: [],
  input: z.object({ id: z.string(), amount: z.number(), sentAt: z.number().optional() }),
  flows: ['orders'],
}

export const handler: Handlers['FulfilOrder'] = async (input, { state }) => {
  const doneAt = Date.now()
  await state.update('orders', input.id, [{ type: 'set', path: 'status', value: 'fulfilled' }])
  await state.set('order-stats', input.id, { latency: input.sentAt ? doneAt - input.sentAt : null, doneAt })
}
