/**
 * StreamObject: one per (stream, group). It holds the group's items in SQLite and a log of recent
 * changes with a per-group sequence number (for resume). Subscribers' sockets live in the stream
 * hubs; this object knows which hubs have subscribers of the group and sends each change to each
 * of them once.
 * @module
 */
import { DurableObject } from 'cloudflare:workers'
import type { UpdateOp } from '../sdk/context-types'
import { ValidationError } from '../sdk/errors'
import { checkSchema } from '../sdk/schema-input'
import type { StreamFrame } from '../sdk/stream-types'
import type { StepflareEnv } from '../worker/env'
import { getRuntime } from '../worker/runtime'
import { streamObjectName } from '../worker/streams/registry'
import { type ChangeLog, createChangeLog } from './stream/change-log'
import { initialFrames } from './stream/initial-frames'
import type { StreamHub } from './stream-hub'
import { applyUpdateOps } from './update-ops'

export interface StreamItemResult {
  item: Record<string, unknown> & { id: string }
  created: boolean
}

type Item = Record<string, unknown> & { id: string }

export class StreamObject extends DurableObject<StepflareEnv> {
  private readonly sql: SqlStorage
  private readonly log: ChangeLog

  constructor(ctx: DurableObjectState, env: StepflareEnv) {
    super(ctx, env)
    this.sql = ctx.storage.sql
    this.sql.exec('CREATE TABLE IF NOT EXISTS items (id TEXT PRIMARY KEY, data TEXT NOT NULL, updated_at INTEGER NOT NULL)')
    this.log = createChangeLog(this.sql)
    this.sql.exec('CREATE TABLE IF NOT EXISTS hubs (hub TEXT PRIMARY KEY)')
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
    const key = streamObjectName(frame.streamName, frame.groupId)
    const itemId = frame.id ?? null
    for (const hub of this.hubs()) {
      this.ctx.waitUntil(
        this.hubStub(hub)
          .deliver(key, seq, itemId, text)
          .catch(() => this.detach(hub)),
      )
    }
  }

  private hubList: string[] | null = null
  private readonly stubs = new Map<string, DurableObjectStub<StreamHub>>()

  private hubs(): string[] {
    this.hubList ??= this.sql
      .exec<{ hub: string }>('SELECT hub FROM hubs')
      .toArray()
      .map((r) => r.hub)
    return this.hubList
  }

  /** One stub per hub, kept: calls on one stub arrive in order, so a hub sees changes in order. */
  private hubStub(hub: string): DurableObjectStub<StreamHub> {
    let stub = this.stubs.get(hub)
    if (!stub) {
      stub = this.env.STEPFLARE_HUB.getByName(hub)
      this.stubs.set(hub, stub)
    }
    return stub
  }

  /**
   * A hub's socket joined this group: from now on the hub receives its changes. Returns what the
   * socket gets first (the missed changes when it can resume after `since`, else a fresh sync)
   * and the sequence number they bring it to.
   */
  attach(hub: string, streamName: string, groupId: string, id: string | null, since: number | null): { frames: string[]; seq: number } {
    if (!this.hubs().includes(hub)) {
      this.sql.exec('INSERT OR IGNORE INTO hubs (hub) VALUES (?)', hub)
      this.hubList = null
    }
    return {
      frames: initialFrames(this.log, { streamName, groupId, id, since }, (itemId) => (itemId === null ? this.getGroupItems() : this.readItem(itemId))),
      seq: this.log.lastSeq(),
    }
  }

  detach(hub: string): void {
    this.sql.exec('DELETE FROM hubs WHERE hub = ?', hub)
    this.hubList = null
    this.stubs.delete(hub)
  }
}
