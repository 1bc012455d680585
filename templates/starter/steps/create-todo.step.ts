import type { ApiRouteConfig, Handlers } from 'stepflare'
import { z } from 'zod'

const bodySchema = z.object({ title: z.string().min(1), priority: z.enum(['low', 'high']).default('low') })

// POST /todos: checks the body (a bad one gets 400 before the handler runs), keeps the todo in
// state and emits todo.created for the next step.
export const config: ApiRouteConfig = {
  type: 'api',
  name: 'CreateTodo',
  description: 'Creates a todo',
  path: '/todos',
  method: 'POST',
  bodySchema,
  responseSchema: { 201: z.object({ id: z.string(), title: z.string(), status: z.string() }) },
  emits: ['todo.created'],
  flows: ['todos'],
}

export const handler: Handlers['CreateTodo'] = async (req, { emit, state, logger, traceId }) => {
  const { title, priority } = bodySchema.parse(req.body)
  const todo = { id: `todo-${traceId}`, title, priority, status: 'open' }
  await state.set('todos', todo.id, todo)
  await emit({ topic: 'todo.created', data: { id: todo.id, title } })
  logger.info('todo created', { id: todo.id })
  return { status: 201, body: { id: todo.id, title, status: todo.status } }
}
