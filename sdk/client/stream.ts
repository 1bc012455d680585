/**
 * The stream client, for browsers and Node: Motia's `Stream` API (`subscribeItem`,
 * `subscribeGroup`, `close`) over one WebSocket, plus reconnection with exponential backoff and
 * resume: each subscription re-joins with the last sequence number it applied, and the server
 * replays what it missed (or sends a fresh sync when it is too far behind).
 * @module
 */
import type { StreamFrame } from '../stream-wire.js'
import { StreamGroupSubscription, StreamItemSubscription, type StreamSubscription, type SubscriptionSpec } from './subscription.js'

type Item = { id: string } & Record<string, unknown>

export interface WebSocketLike {
  readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  addEventListener(type: 'open' | 'close' | 'message' | 'error', fn: (e: { data?: unknown }) => void): void
}

export interface StreamOptions {
  /** Subprotocols; pass `['Authorization', token]` for Motia-style stream auth. */
  protocols?: string[]
  /** A WebSocket constructor (e.g. from `ws` on Node 20, which has no global WebSocket). */
  WebSocket?: new (
    url: string,
    protocols?: string[],
  ) => WebSocketLike
  /** First reconnect delay in ms (default 500), doubling up to `maxReconnectDelayMs` (default 10 000). */
  reconnectDelayMs?: number
  maxReconnectDelayMs?: number
}

const OPEN = 1

function newId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto
  return c?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`
}

export class Stream {
  private ws: WebSocketLike | undefined
  private readonly subs = new Map<string, StreamSubscription<unknown>>()
  private attempts = 0
  private closed = false
  private timer: ReturnType<typeof setTimeout> | undefined
  private readonly openListeners = new Set<() => void>()

  constructor(
    private readonly address: string,
    private readonly options: StreamOptions = {},
  ) {
    this.connect()
  }

  private connect(): void {
    const Ctor = this.options.WebSocket ?? (globalThis as unknown as { WebSocket?: StreamOptions['WebSocket'] }).WebSocket
    if (!Ctor) throw new Error('no WebSocket implementation: pass options.WebSocket (e.g. from the ws package)')
    const ws = new Ctor(this.address, this.options.protocols)
    this.ws = ws
    ws.addEventListener('open', () => {
      this.attempts = 0
      for (const s of this.subs.values()) this.sendJoin(s)
      for (const fn of this.openListeners) fn()
    })
    ws.addEventListener('message', (e) => this.onFrame(String(e.data)))
    ws.addEventListener('close', () => this.scheduleReconnect())
    ws.addEventListener('error', () => {})
  }

  private scheduleReconnect(): void {
    if (this.closed) return
    const base = this.options.reconnectDelayMs ?? 500
    const delay = Math.min(this.options.maxReconnectDelayMs ?? 10_000, base * 2 ** this.attempts++)
    this.timer = setTimeout(() => this.connect(), delay * (0.8 + Math.random() * 0.4))
  }

  private onFrame(text: string): void {
    let frame: StreamFrame
    try {
      frame = JSON.parse(text) as StreamFrame
    } catch {
      return
    }
    if (!frame.event || !frame.streamName) return
    for (const s of this.subs.values()) {
      const { streamName, groupId, id } = s.sub
      if (streamName !== frame.streamName || groupId !== frame.groupId) continue
      // Item frames reach the item's subscriptions and the group's; a sync only its own kind.
      const match = id === undefined ? frame.id === undefined || frame.event.type !== 'sync' : frame.id === id
      if (match) s.receive(frame)
    }
  }

  private sendJoin(s: StreamSubscription<unknown>): void {
    if (this.ws?.readyState !== OPEN) return
    this.ws.send(JSON.stringify({ type: 'join', data: { ...s.sub, ...(s.lastSeq !== undefined ? { since: s.lastSeq } : {}) } }))
  }

  private add<S extends StreamSubscription<unknown>>(s: S): S {
    this.subs.set(s.sub.subscriptionId, s)
    s.onClose(() => {
      this.subs.delete(s.sub.subscriptionId)
      if (this.ws?.readyState === OPEN) this.ws.send(JSON.stringify({ type: 'leave', data: s.sub }))
    })
    this.sendJoin(s)
    return s
  }

  subscribeItem<T extends Item = Item>(streamName: string, groupId: string, id: string): StreamItemSubscription<T> {
    const spec: SubscriptionSpec = { streamName, groupId, id, subscriptionId: newId() }
    return this.add(new StreamItemSubscription<T>(spec) as unknown as StreamSubscription<unknown>) as unknown as StreamItemSubscription<T>
  }

  subscribeGroup<T extends Item = Item>(streamName: string, groupId: string, sortKey?: keyof T): StreamGroupSubscription<T> {
    const spec: SubscriptionSpec = { streamName, groupId, subscriptionId: newId() }
    return this.add(new StreamGroupSubscription<T>(spec, sortKey) as unknown as StreamSubscription<unknown>) as unknown as StreamGroupSubscription<T>
  }

  /** Called on every (re)connection. */
  onOpen(fn: () => void): void {
    this.openListeners.add(fn)
  }

  /** Drops the socket as a network failure would; the client reconnects and resumes. */
  dropConnection(): void {
    this.ws?.close(4000, 'dropped')
  }

  close(): void {
    this.closed = true
    clearTimeout(this.timer)
    this.subs.clear()
    this.ws?.close(1000, 'client closed')
  }
}
