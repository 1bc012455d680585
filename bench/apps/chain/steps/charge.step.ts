import type { EventConfig, FlowContext } from 'stepflare'

export const config: EventConfig = { type: 'event', name: 'Charge', subscribes: ['order.created'], emits: ['order.paid'], flows: ['orders'] }

export const handler = async (input: { id: string; amount: number; sentAt?: number }, { emit, state }: FlowContext) => {
  await state.update('orders', input.id, [{ type: 'set', path: 'status', value: 'paid' }])
  await emit({ topic: 'order.paid', data: input })
}
