import type { EventConfig, FlowContext } from 'stepflare'

export const config: EventConfig = { type: 'event', name: 'Finish', subscribes: ['soak.reserved'], emits: [] }

export const handler = async (input: { id: string; failRate: number; poison?: boolean; sentAt: number }, { state }: FlowContext) => {
  if (input.poison) throw new Error('permanent failure (poison order)')
  if (Math.random() < input.failRate) throw new Error('injected random failure (Finish)')
  const doneAt = Date.now()
  await state.update('soak-orders', input.id, [{ type: 'set', path: 'status', value: 'done' }])
  await state.set('soak-done', input.id, { latency: doneAt - input.sentAt, doneAt })
}
