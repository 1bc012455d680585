/**
 * StreamObject: one per (stream, group). It holds the group's items in SQLite, a log of recent
 * changes with a per-group sequence number (for resume), and the group's subscribers: one
 * hibernatable WebSocket per client connection, over which the Worker relays join/leave and this
 * object sends Motia's frames — to group subscribers, and to an item's subscribers.
 * @module
 */
import { DurableObject } from 'cloudflare:workers'
import type { UpdateOp } from '../sdk/context-types'
import { ValidationError } from '../sdk/errors'
import { checkSchema } from '../sdk/schema-input'
import type { StreamFrame } from '../sdk/stream-types'
import type { StepflareEnv } from '../worker/env'
import { getRuntime } from '../worker/runtime'
import { type ChangeLog, createChangeLog } from './stream/change-log'
import { type Interest, SubscriberSet } from './stream/subscribers'
import { applyUpdateOps } from './update-ops'

export interface StreamItemResult {
  item: Record<string, unknown> & { id: string }
  created: boolean
}

type Item = Record<string, unknown> & { id: string }

/** How the Worker talks to this object over a subscriber socket. */
export interface ControlMessage {
  op: 'join' | 'leave'
  subscriptionId: string
  id?: string
  since?: number
}

export class StreamObject extends DurableObject<StepflareEnv> {
  private readonly sql: SqlStorage
  private readonly log: ChangeLog
  private readonly subs: SubscriberSet

  constructor(ctx: DurableObjectState, env: StepflareEnv) {
    super(ctx, env)
    this.sql = ctx.storage.sql
    this.sql.exec('CREATE TABLE IF NOT EXISTS items (id TEXT PRIMARY KEY, data TEXT NOT NULL, updated_at INTEGER NOT NULL)')
    this.log = createChangeLog(this.sql)
    this.subs = new SubscriberSet(this.sql)
  }

  private readItem(id: string): Item | null {
    const row = this.sql.exec<{ data: string }>('SELECT data FROM items WHERE id = ?', id).toArray()[0]
    return row ? ({ ...JSON.parse(row.data), id } as Item) : null
  }

  getItem(id: string): Item | null {
    return this.readItem(id)
  }

  getGroupItems(): Item[] {
    return this.sql
      .exec<{ id: string; data: string }>('SELECT id, data FROM items ORDER BY rowid')
      .toArray()
      .map((r) => ({ ...JSON.parse(r.data), id: r.id }) as Item)
  }

  /** Creates or replaces an item; subscribers get `create` when it was new and `update` otherwise. */
  setItem(streamName: string, groupId: string, id: string, data: unknown): StreamItemResult {
    const existed = this.sql.exec('SELECT 1 FROM items WHERE id = ?', id).toArray().length > 0
    const { __motia: _meta, ...fields } = (data && typeof data === 'object' ? data : { value: data }) as Record<string, unknown>
    const item = { ...fields, id } as Item
    this.sql.exec(
      'INSERT INTO items (id, data, updated_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at',
      id,
      JSON.stringify(item),
      Date.now(),
    )
    this.publish({ timestamp: Date.now(), streamName, groupId, id, event: { type: existed ? 'update' : 'create', data: item } })
    return { item, created: !existed }
  }

  /** Applies update operations atomically (inside this object) and publishes like `setItem`. */
  updateItem(streamName: string, groupId: string, id: string, ops: UpdateOp[]): Item | null {
    const current = this.readItem(id)
    const { id: _id, ...fields } = current ?? ({ id } as Item)
    const next = applyUpdateOps(fields, ops)
    if (next === null) return this.deleteItem(streamName, groupId, id)
    const schema = getRuntime().streams.get(streamName)?.schema
    if (schema) {
      const checked = checkSchema(schema, next)
      if (!checked.ok) throw new ValidationError(`stream ${JSON.stringify(streamName)}: the updated item does not match the stream's schema`, checked.issues)
    }
    return this.setItem(streamName, groupId, id, next).item
  }

  deleteItem(streamName: string, groupId: string, id: string): Item | null {
    const item = this.readItem(id)
    if (!item) return null
    this.sql.exec('DELETE FROM items WHERE id = ?', id)
    this.publish({ timestamp: Date.now(), streamName, groupId, id, event: { type: 'delete', data: item } })
    return item
  }

  /** An ephemeral event: to the group's subscribers, and the item's when an id is given. */
  sendEvent(streamName: string, groupId: string, id: string | undefined, event: { type: string; data: unknown }): void {
    this.publish({ timestamp: Date.now(), streamName, groupId, ...(id ? { id } : {}), event: { type: 'event', event } })
  }

  private publish(frame: StreamFrame): void {
    const seq = this.log.append(frame)
    const text = JSON.stringify({ ...frame, seq })
    for (const ws of this.ctx.getWebSockets()) {
      if (this.subs.wants(ws, frame.id)) {
        try {
          ws.send(text)
        } catch {
          // a closing socket; its close handler cleans up
        }
      }
    }
  }

  /** A subscriber socket from the Worker (one per client connection and group). */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get('upgrade')?.toLowerCase() !== 'websocket') return new Response('expected a WebSocket upgrade', { status: 426 })
    const url = new URL(request.url)
    const pair = new WebSocketPair()
    const [client, server] = [pair[0], pair[1]]
    this.ctx.acceptWebSocket(server)
    this.subs.register(server, url.searchParams.get('stream') ?? '', url.searchParams.get('group') ?? '')
    return new Response(null, { status: 101, webSocket: client })
  }

  override webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): void {
    let msg: ControlMessage
    try {
      msg = JSON.parse(typeof message === 'string' ? message : new TextDecoder().decode(message)) as ControlMessage
    } catch {
      return
    }
    if (msg.op === 'leave') {
      this.subs.remove(ws, msg.subscriptionId)
      return
    }
    if (msg.op !== 'join') return
    const interest: Interest = msg.id === undefined ? { group: true } : { item: msg.id }
    this.subs.add(ws, msg.subscriptionId, interest)
    this.sendInitial(ws, msg)
  }

  /** Right after a join: the missed changes when the client can resume, else a fresh sync. */
  private sendInitial(ws: WebSocket, msg: ControlMessage): void {
    const { streamName, groupId } = this.subs.identity(ws)
    const base = { streamName, groupId, ...(msg.id !== undefined ? { id: msg.id } : {}) }
    const last = this.log.lastSeq()
    if (msg.since !== undefined) {
      const missed = this.log.since(msg.since)
      if (missed) {
        for (const f of missed) if (msg.id === undefined || f.id === msg.id) ws.send(JSON.stringify(f))
        ws.send(
          JSON.stringify({
            timestamp: Date.now(),
            ...base,
            seq: last,
            event: { type: 'event', event: { type: '$resume', data: { mode: 'replay', from: msg.since, to: last, count: missed.length } } },
          }),
        )
        return
      }
    }
    if (msg.id !== undefined) {
      const item = this.readItem(msg.id)
      if (item) ws.send(JSON.stringify({ timestamp: Date.now(), ...base, seq: last, event: { type: 'sync', data: item } }))
    } else {
      ws.send(JSON.stringify({ timestamp: Date.now(), ...base, seq: last, event: { type: 'sync', data: this.getGroupItems() } }))
    }
    if (msg.since !== undefined) {
      ws.send(
        JSON.stringify({
          timestamp: Date.now(),
          ...base,
          seq: last,
          event: { type: 'event', event: { type: '$resume', data: { mode: 'sync', from: msg.since, to: last } } },
        }),
      )
    }
  }

  override webSocketClose(ws: WebSocket): void {
    this.subs.drop(ws)
  }

  override webSocketError(ws: WebSocket): void {
    this.subs.drop(ws)
  }
}
