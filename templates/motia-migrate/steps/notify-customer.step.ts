import type { EventConfig, Handlers } from 'motia'
import { z } from 'zod'

export const config: EventConfig = {
  type: 'event',
  name: 'NotifyCustomer',
  subscribes: ['ticket.created'],
  emits: [],
  input: z.object({ id: z.string(), customer: z.string() }),
  flows: ['support'],
  infrastructure: { queue: { maxRetries: 2 } },
}

export const handler: Handlers['NotifyCustomer'] = async (input, { state, logger }) => {
  await state.set('notifications', input.id, { to: input.customer, at: Date.now() })
  logger.info('customer notified', { customer: input.customer })
}
