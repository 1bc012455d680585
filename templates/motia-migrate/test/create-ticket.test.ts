// Motia's @motiadev/test had createMockContext (jest). stepflare/testing has the same shape for vitest.
import { createMockContext } from 'stepflare/testing'
import { describe, expect, it } from 'vitest'
import { handler } from '../steps/create-ticket.step'

describe('CreateTicket', () => {
  it('keeps the ticket and emits ticket.created', async () => {
    const ctx = createMockContext()
    const res = await handler({ body: { title: 'Broken', customer: 'ada' }, pathParams: {}, queryParams: {}, headers: {}, rawBody: '' }, ctx)
    expect(res.status).toBe(200)
    expect(ctx.emit).toHaveBeenCalledWith({ topic: 'ticket.created', data: { id: 'ticket-mock-trace-id', customer: 'ada' } })
    expect(ctx.state.set).toHaveBeenCalledWith('tickets', 'ticket-mock-trace-id', expect.objectContaining({ status: 'open' }))
  })
})
