// A Motia 0.17 step file, unchanged: `motia` resolves to stepflare.
import type { ApiRouteConfig, Handlers } from 'motia'
import { z } from 'zod'

const bodySchema = z.object({ title: z.string().min(1), customer: z.string() })

export const config: ApiRouteConfig = {
  type: 'api',
  name: 'CreateTicket',
  description: 'Opens a support ticket',
  path: '/tickets',
  method: 'POST',
  bodySchema,
  emits: ['ticket.created'],
  flows: ['support'],
}

export const handler: Handlers['CreateTicket'] = async (req, { emit, logger, state, traceId }) => {
  const { title, customer } = bodySchema.parse(req.body)
  const ticket = { id: `ticket-${traceId}`, title, customer, status: 'open' }
  await state.set('tickets', ticket.id, ticket)
  await emit({ topic: 'ticket.created', data: { id: ticket.id, customer } })
  logger.info('ticket created', { id: ticket.id })
  return { status: 200, body: ticket }
}
