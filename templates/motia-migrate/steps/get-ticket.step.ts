import type { ApiRouteConfig, Handlers } from 'motia'

export const config: ApiRouteConfig = { type: 'api', name: 'GetTicket', path: '/tickets/:id', method: 'GET', emits: [], flows: ['support'] }

export const handler: Handlers['GetTicket'] = async (req, { state }) => {
  const ticket = await state.get('tickets', req.pathParams.id)
  if (!ticket) return { status: 404, body: { error: 'Not found' } }
  return { status: 200, body: ticket }
}
