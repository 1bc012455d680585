/**
 * Who wants what in a stream group: each subscriber socket (one per client connection) carries
 * subscriptions, each to the whole group or to one item. Kept in SQLite so it survives the
 * object's hibernation; cached in memory while the object is awake.
 * @module
 */
export type Interest = { group: true } | { item: string }

interface Identity {
  sid: string
  streamName: string
  groupId: string
}

export class SubscriberSet {
  private readonly cache = new Map<string, { group: number; items: Map<string, number> }>()
  // Attachments are structured clones: read each socket's once per wake, not once per change.
  private readonly identities = new WeakMap<WebSocket, Identity>()

  constructor(private readonly sql: SqlStorage) {
    sql.exec('CREATE TABLE IF NOT EXISTS subs (sid TEXT NOT NULL, subscription_id TEXT NOT NULL, item_id TEXT, PRIMARY KEY (sid, subscription_id))')
  }

  register(ws: WebSocket, streamName: string, groupId: string): void {
    ws.serializeAttachment({ sid: crypto.randomUUID(), streamName, groupId } satisfies Identity)
  }

  identity(ws: WebSocket): Identity {
    let ident = this.identities.get(ws)
    if (!ident) {
      ident = ws.deserializeAttachment() as Identity
      if (ident) this.identities.set(ws, ident)
    }
    return ident
  }

  private interests(sid: string) {
    let entry = this.cache.get(sid)
    if (!entry) {
      entry = { group: 0, items: new Map() }
      for (const r of this.sql.exec<{ item_id: string | null }>('SELECT item_id FROM subs WHERE sid = ?', sid)) {
        if (r.item_id === null) entry.group++
        else entry.items.set(r.item_id, (entry.items.get(r.item_id) ?? 0) + 1)
      }
      this.cache.set(sid, entry)
    }
    return entry
  }

  add(ws: WebSocket, subscriptionId: string, interest: Interest): void {
    const { sid } = this.identity(ws)
    const item = 'item' in interest ? interest.item : null
    const existing = this.sql.exec('SELECT 1 FROM subs WHERE sid = ? AND subscription_id = ?', sid, subscriptionId).toArray().length > 0
    if (existing) return
    this.sql.exec('INSERT INTO subs (sid, subscription_id, item_id) VALUES (?, ?, ?)', sid, subscriptionId, item)
    const e = this.interests(sid)
    if (item === null) e.group++
    else e.items.set(item, (e.items.get(item) ?? 0) + 1)
  }

  remove(ws: WebSocket, subscriptionId: string): void {
    const { sid } = this.identity(ws)
    const row = this.sql.exec<{ item_id: string | null }>('SELECT item_id FROM subs WHERE sid = ? AND subscription_id = ?', sid, subscriptionId).toArray()[0]
    if (!row) return
    this.sql.exec('DELETE FROM subs WHERE sid = ? AND subscription_id = ?', sid, subscriptionId)
    const e = this.interests(sid)
    if (row.item_id === null) e.group--
    else {
      const n = (e.items.get(row.item_id) ?? 1) - 1
      if (n > 0) e.items.set(row.item_id, n)
      else e.items.delete(row.item_id)
    }
  }

  /** Whether a change (of item `id`, or of the group when undefined) goes to this socket. */
  wants(ws: WebSocket, id: string | undefined): boolean {
    const ident = this.identity(ws) as Identity | null
    if (!ident) return false
    const e = this.interests(ident.sid)
    return e.group > 0 || (id !== undefined && e.items.has(id))
  }

  drop(ws: WebSocket): void {
    const ident = this.identity(ws) as Identity | null
    if (!ident) return
    this.sql.exec('DELETE FROM subs WHERE sid = ?', ident.sid)
    this.cache.delete(ident.sid)
  }
}
