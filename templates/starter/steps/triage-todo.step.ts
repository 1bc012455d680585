import type { EventConfig, Handlers } from 'stepflare'
import { z } from 'zod'

// Runs once per todo.created event, from a queue: retried on failure, then dead-lettered.
export const config: EventConfig = {
  type: 'event',
  name: 'TriageTodo',
  description: 'Tags the new todo',
  subscribes: ['todo.created'],
  emits: [],
  input: z.object({ id: z.string(), title: z.string() }),
  flows: ['todos'],
}

export const handler: Handlers['TriageTodo'] = async (input, { state, logger }) => {
  const tag = /urgent|asap/i.test(input.title) ? 'urgent' : 'normal'
  // Atomic update of one state value: no read-modify-write race.
  await state.update('todos', input.id, [
    { type: 'set', path: 'status', value: 'triaged' },
    { type: 'set', path: 'tag', value: tag },
  ])
  logger.info('todo triaged', { id: input.id, tag })
}
