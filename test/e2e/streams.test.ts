import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { Stream as MotiaStream } from '@motiadev/stream-client-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { Stream } from '../../sdk/client'
import { type DevServer, REPO, startDev } from './dev-server'
import { eventType, openSocket } from './ws-client'

const PORT = 8795
let dev: DevServer
let wsUrl: string

beforeAll(async () => {
  dev = await startDev(join(REPO, 'test/fixtures/streams-app'), PORT)
  wsUrl = `ws://127.0.0.1:${PORT}`
})
afterAll(async () => {
  await dev?.stop()
})

const api = (method: string, path: string, body?: unknown) =>
  fetch(`${dev.url}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) })

const until = async (cond: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** Drives one group through create, update, a custom event and delete. */
async function driveGroup(group: string) {
  await api('PUT', `/todos/${group}/a`, { title: 'write', done: false })
  await api('PATCH', `/todos/${group}/a`, [{ type: 'set', path: 'done', value: true }])
  await api('POST', `/todos/${group}/events`, { type: 'ping', data: { n: 1 } })
  await api('DELETE', `/todos/${group}/a`)
}

describe("Motia's published client (@motiadev/stream-client-node)", () => {
  it('sees sync, create, update, a custom event and delete, in order', async () => {
    const group = `g-${randomUUID()}`
    await api('PUT', `/todos/${group}/seed`, { title: 'seed', done: false })
    const stream = new MotiaStream(wsUrl)
    const log: string[] = []
    const sub = stream.subscribeGroup<{ id: string; title: string; done: boolean }>('todo', group)
    sub.addChangeListener((items) => log.push(`state:${(items ?? []).map((i) => `${i.id}:${i.done}`).join(',')}`))
    sub.onEvent('ping', (data) => log.push(`event:${JSON.stringify(data)}`))
    await until(() => log.length >= 1)
    await driveGroup(group)
    await until(() => log.length >= 5)
    expect(log).toEqual(['state:seed:false', 'state:seed:false,a:false', 'state:seed:false,a:true', 'event:{"n":1}', 'state:seed:false'])
    stream.close()
  })

  it('gets the item on an item subscription', async () => {
    const group = `g-${randomUUID()}`
    await api('PUT', `/todos/${group}/x`, { title: 'x', done: false })
    const stream = new MotiaStream(wsUrl)
    const sub = stream.subscribeItem<{ id: string; done: boolean }>('todo', group, 'x')
    const states: unknown[] = []
    sub.addChangeListener((s) => states.push(s))
    await until(() => states.length >= 1)
    await api('PATCH', `/todos/${group}/x`, [{ type: 'set', path: 'done', value: true }])
    await until(() => states.length >= 2)
    expect(states).toEqual([
      { id: 'x', title: 'x', done: false },
      { id: 'x', title: 'x', done: true },
    ])
    stream.close()
  })
})

describe('stepflare/client', () => {
  it('sees sync, create, update, a custom event and delete, in order', async () => {
    const group = `g-${randomUUID()}`
    const stream = new Stream(wsUrl, { WebSocket: WebSocket as never })
    const log: string[] = []
    const sub = stream.subscribeGroup<{ id: string; title: string; done: boolean }>('todo', group)
    sub.addChangeListener((items) => log.push(`state:${items.map((i) => `${i.id}:${i.done}`).join(',')}`))
    sub.onEvent('ping', (data) => log.push(`event:${JSON.stringify(data)}`))
    await until(() => log.length >= 1)
    await driveGroup(group)
    await until(() => log.length >= 5)
    expect(log).toEqual(['state:', 'state:a:false', 'state:a:true', 'event:{"n":1}', 'state:'])
    stream.close()
  })

  it('resumes after a dropped socket with no gap and no duplicate', async () => {
    const group = `g-${randomUUID()}`
    const stream = new Stream(wsUrl, { WebSocket: WebSocket as never, reconnectDelayMs: 200 })
    const seen: number[] = []
    const resumes: { mode: string }[] = []
    const sub = stream.subscribeGroup<{ id: string; title: string; done: boolean; n?: number }>('todo', group)
    sub.onEvent('tick', (d) => seen.push((d as { n: number }).n))
    sub.onResume((info) => resumes.push(info))
    let opens = 0
    stream.onOpen(() => opens++)
    await until(() => sub.lastSeq !== undefined)
    for (let n = 0; n < 5; n++) await api('POST', `/todos/${group}/events`, { type: 'tick', data: { n } })
    await until(() => seen.length === 5)
    stream.dropConnection()
    // changes while the client is away
    for (let n = 5; n < 10; n++) await api('POST', `/todos/${group}/events`, { type: 'tick', data: { n } })
    await api('PUT', `/todos/${group}/during`, { title: 'while away', done: false })
    await until(() => seen.length >= 10 && sub.getState().length === 1, 15_000)
    for (let n = 10; n < 12; n++) await api('POST', `/todos/${group}/events`, { type: 'tick', data: { n } })
    await until(() => seen.length >= 12)
    expect(opens).toBe(2) // the first connection and the reconnection
    expect(resumes.map((r) => r.mode)).toEqual(['replay'])
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
    expect(sub.getState().map((i) => i.id)).toEqual(['during'])
    stream.close()
  })
})

describe('access', () => {
  it('a refused join gets STREAM_ACCESS_DENIED and nothing of the group', async () => {
    const group = `private-${randomUUID()}`
    const s = await openSocket(wsUrl)
    s.send({ type: 'join', data: { streamName: 'todo', groupId: group, subscriptionId: 's1' } })
    const denied = await s.waitFor((f) => eventType(f) === 'event')
    expect((denied.event as { event: { type: string; data: { code: string } } }).event).toEqual({
      type: 'error',
      data: { code: 'STREAM_ACCESS_DENIED', message: 'Access denied' },
    })
    await api('PUT', `/todos/${group}/secret`, { title: 'secret', done: false })
    // the owner sees it, so it was published
    const owner = await openSocket(wsUrl, ['Authorization', 'owner-token'])
    owner.send({ type: 'join', data: { streamName: 'todo', groupId: group, subscriptionId: 'o1' } })
    const sync = await owner.waitFor((f) => eventType(f) === 'sync')
    expect((sync.event as { data: unknown[] }).data).toHaveLength(1)
    await api('PUT', `/todos/${group}/secret2`, { title: 'secret2', done: false })
    await owner.waitFor((f) => eventType(f) === 'create')
    expect(s.frames).toHaveLength(1)
    expect(JSON.stringify(s.frames)).not.toContain('secret')
    s.close()
    owner.close()
  })

  it('answers 401 at the upgrade when authenticate throws', async () => {
    await expect(openSocket(`${wsUrl}/?authToken=bad`)).rejects.toThrow(/401/)
  })

  it('refuses a set that does not match the stream schema, naming the stream and the issues', async () => {
    const r = await api('PUT', '/todos/g/bad', { title: 1 })
    expect(r.status).toBe(400)
    expect(((await r.json()) as { error: string }).error).toBe('stream "todo": the item does not match the stream\'s schema')
  })
})

describe('isolation and robustness', () => {
  it('10 groups × 100 subscribers each receive only their own group', async () => {
    const groups = Array.from({ length: 10 }, (_, i) => `iso-${i}-${randomUUID().slice(0, 8)}`)
    const sockets = await Promise.all(
      groups.flatMap((g) =>
        Array.from({ length: 100 }, async (_, i) => {
          const s = await openSocket(wsUrl)
          s.send({ type: 'join', data: { streamName: 'todo', groupId: g, subscriptionId: `${g}-${i}` } })
          await s.waitFor((f) => eventType(f) === 'sync', 30_000)
          return { g, s }
        }),
      ),
    )
    await Promise.all(groups.map((g) => api('PUT', `/todos/${g}/only-${g}`, { title: g, done: false })))
    await Promise.all(sockets.map(({ s }) => s.waitFor((f) => eventType(f) === 'create', 30_000)))
    await new Promise((r) => setTimeout(r, 300))
    for (const { g, s } of sockets) {
      const creates = s.frames.filter((f) => eventType(f) === 'create')
      expect(creates).toHaveLength(1)
      expect(creates[0]?.groupId).toBe(g)
      s.close()
    }
  }, 120_000)

  // A frame over 64 KiB closes the socket with 1009, and 20 junk frames with 1008 (test/e2e/security.test.ts).
  it('answers junk frames with an error and keeps the socket and the object healthy', async () => {
    const group = `junk-${randomUUID()}`
    const s = await openSocket(wsUrl)
    s.send('{not json')
    s.send({ type: 'subscribe', data: {} })
    s.send(
      JSON.stringify({ type: 'join', data: { streamName: 'todo', groupId: group, subscriptionId: 'x', pad: 'x'.repeat(60_000) } }).replace(
        '"type":"join"',
        '"type":"jump"',
      ),
    )
    await until(() => s.frames.length >= 3)
    expect(s.frames.map((f) => (f.error as { code: string }).code)).toEqual(['INVALID_JSON', 'INVALID_MESSAGE', 'INVALID_MESSAGE'])
    s.send({ type: 'join', data: { streamName: 'todo', groupId: group, subscriptionId: 'ok' } })
    await s.waitFor((f) => eventType(f) === 'sync')
    await api('PUT', `/todos/${group}/fine`, { title: 'fine', done: false })
    await s.waitFor((f) => eventType(f) === 'create')
    s.send({ type: 'join', data: { streamName: 'nope', groupId: group, subscriptionId: 'n' } })
    const nf = await s.waitFor((f) => eventType(f) === 'event' && f.streamName === 'nope')
    expect(JSON.stringify(nf)).toContain('STREAM_NOT_FOUND')
    s.close()
  })
})
