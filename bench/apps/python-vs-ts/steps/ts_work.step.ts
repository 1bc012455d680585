import type { EventConfig, FlowContext } from 'stepflare'

export const config: EventConfig = { type: 'event', name: 'TsWork', subscribes: ['work.ts'], emits: [] }

export const handler = async (input: { n: number; sentAt: number }, { state, logger, traceId }: FlowContext) => {
  await state.set(traceId, 'result', { n: input.n, square: input.n * input.n })
  await state.set('bench-done', traceId, { lang: 'ts', latency: Date.now() - input.sentAt })
  logger.info('worked', { n: input.n })
}
