import { createFlowTester } from 'stepflare/testing'
import { describe, expect, it } from 'vitest'

// The whole project inside workerd: requests, queues, state and crons, as under `stepflare dev`.
const flow = createFlowTester()

describe('the todos flow', () => {
  it('creates a todo, triages it from the queue, and lists it', async () => {
    const res = await flow.post('/todos', { title: 'Ship it ASAP' })
    expect(res.status).toBe(201)
    const trace = await flow.waitForTrace(res.traceId!)
    expect(trace.runs.map((r) => r.step).sort()).toEqual(['CreateTodo', 'TriageTodo'])
    const id = (res.body as { id: string }).id
    expect(await flow.state.get('todos', id)).toMatchObject({ status: 'triaged', tag: 'urgent' })
    const list = await flow.get('/todos')
    expect((list.body as { todos: { id: string }[] }).todos.map((t) => t.id)).toContain(id)
  })

  it('rejects a body that does not match the schema', async () => {
    const res = await flow.post('/todos', { title: '' })
    expect(res.status).toBe(400)
  })

  it('runs the cron step on demand', async () => {
    await flow.runCron('DailySummary')
    await flow.idle()
    expect(await flow.state.get('summaries', 'latest')).toMatchObject({ total: expect.any(Number) })
  })

  it('records the events it emits', async () => {
    const created = flow.watch<{ title: string }>('todo.created')
    await flow.waitForTrace((await flow.post('/todos', { title: 'Watch me' })).traceId!)
    expect((await created.getLastCapturedEvent())?.data.title).toBe('Watch me')
  })
})
