import type { EventConfig, Handlers } from 'stepflare'
import { z } from 'zod'

// TypeScript again: receives what the Python step emitted.
export const config: EventConfig = {
  type: 'event',
  name: 'RecordAnalysis',
  subscribes: ['text.analyzed'],
  emits: [],
  input: z.object({ id: z.string(), words: z.number() }),
  flows: ['texts'],
}

export const handler: Handlers['RecordAnalysis'] = async (input, { state }) => {
  await state.update('texts', input.id, [
    { type: 'set', path: 'status', value: 'analyzed' },
    { type: 'set', path: 'words', value: input.words },
  ])
}
