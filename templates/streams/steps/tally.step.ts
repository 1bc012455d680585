import type { EventConfig, Handlers } from 'stepflare'
import { z } from 'zod'

export const config: EventConfig = {
  type: 'event',
  name: 'Tally',
  subscribes: ['vote.cast'],
  emits: [],
  input: z.object({ option: z.string() }),
  flows: ['poll'],
}

export const handler: Handlers['Tally'] = async (input, { state }) => {
  await state.update('totals', 'all', [{ type: 'increment', by: 1 }])
  await state.update('totals', input.option, [{ type: 'increment', by: 1 }])
}
