/**
 * FifoObject: one per (FIFO step, messageGroupId). It holds the group's deliveries in emit order
 * and lets exactly one of them be in flight: the next message is sent only when the trace object
 * releases the head (done, dead or skipped). Different groups are different objects, so they run
 * in parallel.
 * @module
 */
import { DurableObject } from 'cloudflare:workers'
import type { StepflareEnv } from '../worker/env'
import type { EventMessage } from '../worker/queue/messages'

/** A sent head not released this long after it was sent is sent again (begin() dedupes). */
const RESEND_AFTER_MS = 30_000

interface Entry extends Record<string, SqlStorageValue> {
  seq: number
  trace_id: string
  delivery_id: string
  step: string
  topic: string
  sent_at: number
  boot_id: string
}

export interface FifoItem {
  traceId: string
  deliveryId: string
  step: string
  topic: string
}

export function fifoName(step: string, groupId: string): string {
  return `${step}\u0000${groupId}`
}

export class FifoObject extends DurableObject<StepflareEnv> {
  private readonly sql: SqlStorage

  constructor(ctx: DurableObjectState, env: StepflareEnv) {
    super(ctx, env)
    this.sql = ctx.storage.sql
    this.sql.exec(`CREATE TABLE IF NOT EXISTS entries (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, trace_id TEXT NOT NULL, delivery_id TEXT NOT NULL UNIQUE,
      step TEXT NOT NULL, topic TEXT NOT NULL, sent_at INTEGER NOT NULL DEFAULT 0, boot_id TEXT NOT NULL DEFAULT '')`)
  }

  /** Appends deliveries in the given order; a delivery already queued keeps its place. */
  async enqueue(items: FifoItem[]): Promise<void> {
    for (const i of items) {
      this.sql.exec('INSERT OR IGNORE INTO entries (trace_id, delivery_id, step, topic) VALUES (?, ?, ?, ?)', i.traceId, i.deliveryId, i.step, i.topic)
    }
    await this.pump(false)
  }

  /** The head finished: drop it and send the next one. */
  async release(deliveryId: string): Promise<void> {
    this.sql.exec('DELETE FROM entries WHERE delivery_id = ?', deliveryId)
    await this.pump(false)
  }

  /** Sends the head again if its message may be lost (an earlier dev boot, or sent long ago). */
  async kick(): Promise<void> {
    await this.pump(true)
  }

  override async alarm(): Promise<void> {
    await this.pump(true)
  }

  pending(): number {
    return this.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM entries').one().n
  }

  private async pump(resendStale: boolean): Promise<void> {
    const head = this.sql.exec<Entry>('SELECT * FROM entries ORDER BY seq LIMIT 1').toArray()[0]
    if (!head) {
      await this.ctx.storage.deleteAlarm()
      return
    }
    const now = Date.now()
    const boot = this.env.STEPFLARE_BOOT_ID ?? ''
    const stale = head.sent_at > 0 && (head.boot_id !== boot || head.sent_at + RESEND_AFTER_MS <= now)
    if (head.sent_at === 0 || (resendStale && stale)) {
      this.sql.exec('UPDATE entries SET sent_at = ?, boot_id = ? WHERE seq = ?', now, boot, head.seq)
      const body: EventMessage = { v: 1, traceId: head.trace_id, deliveryId: head.delivery_id, step: head.step, topic: head.topic }
      await this.env.STEPFLARE_QUEUE.send(body)
      await this.ctx.storage.setAlarm(now + RESEND_AFTER_MS)
    }
  }
}
