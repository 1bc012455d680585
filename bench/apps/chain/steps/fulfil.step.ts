import type { EventConfig, FlowContext } from 'stepflare'

export const config: EventConfig = { type: 'event', name: 'Fulfil', subscribes: ['order.paid'], emits: [], flows: ['orders'] }

export const handler = async (input: { id: string; sentAt?: number }, { state }: FlowContext) => {
  const doneAt = Date.now()
  await state.update('orders', input.id, [{ type: 'set', path: 'status', value: 'fulfilled' }])
  await state.set('order-stats', input.id, { latency: input.sentAt ? doneAt - input.sentAt : null, doneAt })
}
