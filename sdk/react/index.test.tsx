// @vitest-environment jsdom
import { act } from 'react'
import { createRoot } from 'react-dom/client'
import { afterEach, describe, expect, it } from 'vitest'
import type { WebSocketLike } from '../client/stream'
import { StreamProvider, useStreamEventHandler, useStreamGroup, useStreamItem } from './index'

// A fake socket that lets the test play the server.
class FakeSocket implements WebSocketLike {
  static last: FakeSocket
  readyState = 0
  sent: string[] = []
  private listeners: Record<string, ((e: { data?: unknown }) => void)[]> = {}
  constructor(readonly url: string) {
    FakeSocket.last = this
    queueMicrotask(() => {
      this.readyState = 1
      this.emit('open', {})
    })
  }
  send(data: string) {
    this.sent.push(data)
  }
  close() {
    this.readyState = 3
  }
  addEventListener(type: string, fn: (e: { data?: unknown }) => void) {
    this.listeners[type] = [...(this.listeners[type] ?? []), fn]
  }
  emit(type: string, e: { data?: unknown }) {
    for (const fn of this.listeners[type] ?? []) fn(e)
  }
  frame(f: unknown) {
    this.emit('message', { data: JSON.stringify(f) })
  }
}

;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true
let container: HTMLDivElement

afterEach(() => container?.remove())

const seen: unknown[] = []
function Board() {
  const { data, event } = useStreamGroup<{ id: string; status: string }>({ streamName: 'orders', groupId: 'board' })
  const { data: one } = useStreamItem<{ id: string; status: string }>({ streamName: 'orders', groupId: 'board', id: 'a' })
  useStreamEventHandler({ event, type: 'ping', listener: (d) => seen.push(d) })
  return (
    <p>
      {data.map((o) => `${o.id}:${o.status}`).join(',')}|{one?.status ?? 'none'}
    </p>
  )
}

describe('stepflare/react', () => {
  it('keeps a group and an item current and delivers custom events', async () => {
    seen.length = 0
    container = document.createElement('div')
    document.body.append(container)
    await act(async () => {
      createRoot(container).render(
        <StreamProvider address="ws://test" WebSocket={FakeSocket as never}>
          <Board />
        </StreamProvider>,
      )
    })
    await act(async () => {})
    const ws = FakeSocket.last
    expect(ws.sent.map((s) => JSON.parse(s).type)).toEqual(['join', 'join'])
    const base = { streamName: 'orders', groupId: 'board' }
    await act(async () => {
      ws.frame({ ...base, timestamp: 1, seq: 1, event: { type: 'sync', data: [] } })
      ws.frame({ ...base, id: 'a', timestamp: 2, seq: 2, event: { type: 'create', data: { id: 'a', status: 'created' } } })
      ws.frame({ ...base, id: 'a', timestamp: 3, seq: 3, event: { type: 'update', data: { id: 'a', status: 'paid' } } })
      ws.frame({ ...base, timestamp: 4, seq: 4, event: { type: 'event', event: { type: 'ping', data: 7 } } })
      // a duplicate of a frame already applied is ignored
      ws.frame({ ...base, id: 'a', timestamp: 2, seq: 2, event: { type: 'create', data: { id: 'a', status: 'created' } } })
    })
    expect(container.textContent).toBe('a:paid|paid')
    expect(seen).toEqual([7])
  })
})
