/**
 * Motia 1.x `state()` and `stream()` triggers under `stepflare dev`: they fire with Motia's input
 * shapes, their conditions honoured, in the trace of the change that caused them.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DevServer, REPO, startDev, waitForTrace } from './dev-server'

const PORT = 8886
let dev: DevServer

beforeAll(async () => {
  dev = await startDev(join(REPO, 'test/fixtures/change-triggers'), PORT)
})

afterAll(async () => {
  await dev?.stop()
})

type Logged = { input: Record<string, unknown>; trigger: string }

async function note(method: 'POST' | 'DELETE', id: string, text?: string) {
  const r = await fetch(`${dev.url}/notes/${id}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(text !== undefined ? { body: JSON.stringify({ text }) } : {}),
  })
  expect(r.status).toBe(200)
  const { traceId } = (await r.json()) as { traceId: string }
  return waitForTrace(dev.url, traceId, (t) => t.status !== 'running', 20_000)
}

async function logged(group: 'state' | 'stream', id: string): Promise<Logged[]> {
  const { items } = (await (await fetch(`${dev.url}/__stepflare/streams/log/${group}`)).json()) as { items: (Logged & { id: string })[] }
  return items.filter((i) => i.id.startsWith(`${id}-`)).sort((a, b) => (a.id < b.id ? -1 : 1))
}

describe('state and stream triggers', () => {
  it("fire on set, update and delete with Motia's input shapes, in the trace of the change", async () => {
    const created = await note('POST', 'n1', 'first')
    expect(created.status).toBe('completed')
    expect(created.runs.map((r) => r.step).sort()).toEqual(['Notes', 'OnBoard', 'OnNote', '__state', '__stream'])
    const listed = (await (await fetch(`${dev.url}/__stepflare/traces?limit=5`)).json()) as { traces: { traceId: string; entryStep: string }[] }
    expect(listed.traces.find((t) => t.traceId === created.traceId)?.entryStep).toBe('Notes')
    await note('POST', 'n1', 'second')
    await note('DELETE', 'n1')

    const states = await logged('state', 'n1')
    expect(states.map((l) => l.trigger)).toEqual(['state', 'state', 'state'])
    expect(states.map((l) => l.input)).toEqual([
      { type: 'state', group_id: 'notes', item_id: 'n1', new_value: { text: 'first' } },
      { type: 'state', group_id: 'notes', item_id: 'n1', old_value: { text: 'first' }, new_value: { text: 'second' } },
      { type: 'state', group_id: 'notes', item_id: 'n1', old_value: { text: 'second' } },
    ])

    const streams = await logged('stream', 'n1')
    expect(streams.map((l) => l.trigger)).toEqual(['stream', 'stream', 'stream'])
    expect(streams.map((l) => (l.input.event as { type: string }).type)).toEqual(['create', 'update', 'delete'])
    expect(streams[0]?.input).toMatchObject({
      type: 'stream',
      streamName: 'board',
      groupId: 'main',
      id: 'n1',
      timestamp: expect.any(Number),
      event: { type: 'create', data: { text: 'first', id: 'n1' } },
    })
  })

  it('honours the condition: a change it refuses runs nothing', async () => {
    const t = await note('POST', 'n2', 'quiet')
    expect(t.status).toBe('completed')
    const onNote = t.runs.filter((r) => r.step === 'OnNote')
    expect(onNote.map((r) => r.status)).toEqual(['skipped'])
    expect(await logged('state', 'n2')).toEqual([])
    // The stream trigger has no condition: it ran.
    expect((await logged('stream', 'n2')).length).toBe(1)
  })
})
