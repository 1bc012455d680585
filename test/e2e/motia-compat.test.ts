import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DevServer, REPO, startDev, waitForTrace } from './dev-server'

// A project written for Motia 0.17, unchanged: steps import from 'motia', its motia.config.ts imports
// defineConfig from '@motiadev/core' and plugins from '@motiadev/plugin-*' (none of them installed,
// one of them with require()) and a project-local workbench plugin that runs Node-only code at
// import: none of it reaches the Worker.
const PORT = 8792
let dev: DevServer

beforeAll(async () => {
  dev = await startDev(join(REPO, 'test/fixtures/motia-app'), PORT)
})
afterAll(async () => {
  await dev?.stop()
})

describe('a Motia 0.17 classic project', () => {
  it('starts with its workbench plugins left out of the Worker, and says so', () => {
    expect(dev.output()).toContain('warning motia.config.ts  plugins: 5 Motia workbench plugin(s) not loaded')
    expect(dev.output()).toContain('warning motia.config.ts  redis: ignored')
  })

  it('serves its API with its middleware', async () => {
    const denied = await fetch(`${dev.url}/todos`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'x' }) })
    expect(denied.status).toBe(401)
  })

  it('runs the API → event → event chain with state by trace id and by group', async () => {
    const r = await fetch(`${dev.url}/todos`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-user': 'grace' },
      body: JSON.stringify({ title: 'write tests' }),
    })
    expect(r.status).toBe(201)
    const { id } = (await r.json()) as { id: string }
    const traceId = r.headers.get('x-trace-id') as string
    const trace = await waitForTrace(dev.url, traceId)
    expect(trace.status).toBe('completed')
    expect(trace.runs.map((x) => x.step)).toEqual(['CreateTodo', 'NotifyOwner', 'AuditTodo'])
    const todo = await (await fetch(`${dev.url}/todos/${id}`)).json()
    expect(todo).toMatchObject({ title: 'write tests', owner: 'grace', status: 'audited', priority: 'low' })
    const byTrace = (await (await fetch(`${dev.url}/__stepflare/state/${traceId}`)).json()) as { items: { key: string }[] }
    expect(byTrace.items.map((i) => i.key).sort()).toEqual(['audited', 'todo'])
  })

  it('answers 404 from its own handler', async () => {
    expect((await fetch(`${dev.url}/todos/nope`)).status).toBe(404)
  })
})
