import { createMockContext } from 'stepflare/testing'
import { describe, expect, it } from 'vitest'
import { handler } from '../steps/create-todo.step'

// A unit test of one handler: createMockContext() gives a ctx whose emit, state, logger and
// streams are vitest mocks (state and streams keep values in memory).
describe('CreateTodo', () => {
  it('stores the todo and emits todo.created', async () => {
    const ctx = createMockContext({ traceId: 'T1' })
    const res = await handler({ body: { title: 'Write tests' }, pathParams: {}, queryParams: {}, headers: {}, rawBody: '' }, ctx)
    expect(res).toEqual({ status: 201, body: { id: 'todo-T1', title: 'Write tests', status: 'open' } })
    expect(ctx.emit).toHaveBeenCalledWith({ topic: 'todo.created', data: { id: 'todo-T1', title: 'Write tests' } })
    expect(await ctx.state.get('todos', 'todo-T1')).toMatchObject({ title: 'Write tests', priority: 'low' })
  })
})
