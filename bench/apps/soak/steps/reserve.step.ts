import type { EventConfig, FlowContext } from 'stepflare'

export const config: EventConfig = { type: 'event', name: 'Reserve', subscribes: ['soak.order'], emits: ['soak.reserved'] }

export const handler = async (input: { id: string; failRate: number }, { emit, state }: FlowContext) => {
  if (Math.random() < input.failRate) throw new Error('injected random failure (Reserve)')
  await state.update('soak-orders', input.id, [{ type: 'set', path: 'status', value: 'reserved' }])
  await emit({ topic: 'soak.reserved', data: input })
}
