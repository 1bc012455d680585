// Motia's createMotiaTester() became createFlowTester(): the same post/get/emit/watch, run inside workerd.
import { createFlowTester } from 'stepflare/testing'
import { describe, expect, it } from 'vitest'

const tester = createFlowTester()

describe('the support flow', () => {
  it('opens a ticket and notifies the customer', async () => {
    const watcher = tester.watch('ticket.created')
    const res = await tester.post('/tickets', { title: 'Broken', customer: 'ada' })
    expect(res.status).toBe(200)
    await tester.waitEvents()
    expect((await watcher.getLastCapturedEvent())?.data).toMatchObject({ customer: 'ada' })
    const { id } = res.body as { id: string }
    expect(await tester.state.get('notifications', id)).toMatchObject({ to: 'ada' })
    expect((await tester.get(`/tickets/${id}`)).body).toMatchObject({ title: 'Broken' })
  })
})
