/**
 * A hub's subscriptions: which socket follows which group (or item of a group), and the last
 * sequence number sent to it for that group. In SQLite, so they survive hibernation; indexed in
 * memory by group while the hub is awake. A subscription that has not received its sync yet
 * holds back live frames.
 * @module
 */
import type { StreamAuthContext } from '../../sdk/handler-types'
import type { StreamSubscription } from '../../sdk/stream-types'

interface Attachment {
  sid: string
  auth: StreamAuthContext | null
}

export interface HubSocket {
  ws: WebSocket
  sid: string
}

interface Sub {
  ws: WebSocket
  subscriptionId: string
  itemId: string | null
  /** Last sequence sent; null until the join's sync (or replay) is out. */
  lastSeq: number | null
  held: { seq: number; itemId: string | null; text: string }[]
}

export interface RemovedSub {
  key: string
  streamName: string
  sub: StreamSubscription
}

export class HubSubscriptions {
  private byKey: Map<string, Sub[]> | null = null
  private readonly sockets = new Map<string, WebSocket>()
  private readonly idents = new WeakMap<WebSocket, Attachment>()

  constructor(private readonly sql: SqlStorage) {
    sql.exec(
      'CREATE TABLE IF NOT EXISTS hub_subs (sid TEXT NOT NULL, subscription_id TEXT NOT NULL, key TEXT NOT NULL, item_id TEXT, last_seq INTEGER, PRIMARY KEY (sid, subscription_id))',
    )
  }

  register(ws: WebSocket, auth: StreamAuthContext | null): void {
    const att: Attachment = { sid: crypto.randomUUID(), auth }
    ws.serializeAttachment(att)
    this.idents.set(ws, att)
  }

  private ident(ws: WebSocket): Attachment {
    let a = this.idents.get(ws)
    if (!a) {
      a = ws.deserializeAttachment() as Attachment
      this.idents.set(ws, a)
    }
    return a
  }

  auth(ws: WebSocket): StreamAuthContext | null {
    return this.ident(ws)?.auth ?? null
  }

  /** Rebuilds the in-memory index after a wake from hibernation. */
  private index(): Map<string, Sub[]> {
    if (this.byKey) return this.byKey
    const byKey = new Map<string, Sub[]>()
    this.byKey = byKey
    const bySid = this.sockets
    for (const r of this.sql.exec<{ sid: string; subscription_id: string; key: string; item_id: string | null; last_seq: number | null }>(
      'SELECT * FROM hub_subs',
    )) {
      const ws = bySid.get(r.sid)
      if (!ws) continue
      const list = byKey.get(r.key) ?? []
      list.push({ ws, subscriptionId: r.subscription_id, itemId: r.item_id, lastSeq: r.last_seq ?? 0, held: [] })
      byKey.set(r.key, list)
    }
    return byKey
  }

  /** Called with the hub's live sockets after a wake, before any lookup. */
  adopt(all: WebSocket[]): void {
    for (const ws of all) {
      const a = this.ident(ws)
      if (a) this.sockets.set(a.sid, ws)
    }
  }

  has(ws: WebSocket, subscriptionId: string): boolean {
    return this.sql.exec('SELECT 1 FROM hub_subs WHERE sid = ? AND subscription_id = ?', this.ident(ws).sid, subscriptionId).toArray().length > 0
  }

  hasKey(key: string): boolean {
    return (this.index().get(key)?.length ?? 0) > 0
  }

  add(ws: WebSocket, subscriptionId: string, key: string, itemId: string | null): void {
    const { sid } = this.ident(ws)
    this.sockets.set(sid, ws)
    this.sql.exec('INSERT OR REPLACE INTO hub_subs (sid, subscription_id, key, item_id, last_seq) VALUES (?, ?, ?, ?, NULL)', sid, subscriptionId, key, itemId)
    const list = this.index().get(key) ?? []
    list.push({ ws, subscriptionId, itemId, lastSeq: null, held: [] })
    this.index().set(key, list)
  }

  /** The sync went out at `seq`: returns the held frames that are newer, and goes live. */
  ready(ws: WebSocket, subscriptionId: string, seq: number): string[] {
    const s = [...this.index().values()].flat().find((x) => x.ws === ws && x.subscriptionId === subscriptionId)
    if (!s) return []
    const out = s.held.filter((h) => h.seq > seq).map((h) => h.text)
    s.lastSeq = Math.max(seq, ...s.held.map((h) => h.seq))
    s.held = []
    this.sql.exec('UPDATE hub_subs SET last_seq = ? WHERE sid = ? AND subscription_id = ?', s.lastSeq, this.ident(ws).sid, subscriptionId)
    return out
  }

  /** The sockets a change goes to (each at most once), holding it for subscriptions not yet synced. */
  targets(key: string, seq: number, itemId: string | null, text: string): WebSocket[] {
    const out = new Set<WebSocket>()
    for (const s of this.index().get(key) ?? []) {
      if (s.itemId !== null && s.itemId !== itemId) continue
      if (s.lastSeq === null) {
        s.held.push({ seq, itemId, text })
        continue
      }
      if (seq <= s.lastSeq) continue
      s.lastSeq = seq
      out.add(s.ws)
    }
    return [...out]
  }

  remove(ws: WebSocket, subscriptionId: string): (RemovedSub & { streamName: string }) | null {
    const { sid } = this.ident(ws)
    const row = this.sql
      .exec<{ key: string; item_id: string | null }>('SELECT key, item_id FROM hub_subs WHERE sid = ? AND subscription_id = ?', sid, subscriptionId)
      .toArray()[0]
    if (!row) return null
    this.sql.exec('DELETE FROM hub_subs WHERE sid = ? AND subscription_id = ?', sid, subscriptionId)
    const list = (this.index().get(row.key) ?? []).filter((s) => !(s.ws === ws && s.subscriptionId === subscriptionId))
    if (list.length) this.index().set(row.key, list)
    else this.index().delete(row.key)
    return removed(row.key, row.item_id)
  }

  drop(ws: WebSocket): RemovedSub[] {
    const { sid } = this.ident(ws)
    const rows = this.sql.exec<{ key: string; item_id: string | null }>('SELECT key, item_id FROM hub_subs WHERE sid = ?', sid).toArray()
    this.sql.exec('DELETE FROM hub_subs WHERE sid = ?', sid)
    this.sockets.delete(sid)
    for (const key of new Set(rows.map((r) => r.key))) {
      const list = (this.index().get(key) ?? []).filter((s) => s.ws !== ws)
      if (list.length) this.index().set(key, list)
      else this.index().delete(key)
    }
    return rows.map((r) => removed(r.key, r.item_id))
  }
}

function removed(key: string, itemId: string | null): RemovedSub {
  const [streamName = '', groupId = ''] = key.split('\u0000')
  return { key, streamName, sub: { groupId, ...(itemId !== null ? { id: itemId } : {}) } }
}
