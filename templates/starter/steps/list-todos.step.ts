import type { ApiRouteConfig, Handlers } from 'stepflare'

export const config: ApiRouteConfig = { type: 'api', name: 'ListTodos', path: '/todos', method: 'GET', emits: [], flows: ['todos'] }

export const handler: Handlers['ListTodos'] = async (_req, { state }) => {
  const todos = await state.getGroup<{ id: string; title: string; status: string }>('todos')
  return { status: 200, body: { todos } }
}
