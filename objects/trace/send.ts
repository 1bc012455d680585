/**
 * Sends the messages of delivery rows: queued and retrying rows to the queue (in batches of 100,
 * each message carrying ids only), FIFO rows that wait for their turn to their group's FifoObject.
 * A failed send or enqueue is not an error: the row remembers it (`sent = 0`) and the shard's
 * alarm sends again within seconds (an enqueue is idempotent: a queued delivery keeps its place).
 * @module
 */
import type { StepflareEnv } from '../../worker/env'
import { type FifoItem, fifoName } from '../fifo-object'
import { type DeliveryRow, markSent } from './deliveries'

/** Returns false when a send failed (the caller makes sure its alarm comes soon). */
export async function sendDeliveries(env: StepflareEnv, sql: SqlStorage, all: DeliveryRow[]): Promise<boolean> {
  const groups = new Map<string, DeliveryRow[]>()
  for (const r of all) {
    if (r.status !== 'waiting') continue
    const name = fifoName(r.step, r.group_id ?? '')
    const group = groups.get(name)
    if (group) group.push(r)
    else groups.set(name, [r])
  }
  let ok = true
  for (const [name, group] of groups) {
    const items: FifoItem[] = group.map((r) => ({ traceId: r.trace_id, deliveryId: r.id, step: r.step, topic: r.topic }))
    const ids = group.map((r) => r.id)
    try {
      await env.STEPFLARE_FIFO.getByName(name).enqueue(items)
      if (group.some((r) => r.sent === 0)) markSent(sql, ids, true)
    } catch (err) {
      markSent(sql, ids, false)
      ok = false
      console.error(
        JSON.stringify({ level: 'error', msg: 'FIFO enqueue failed; the trace alarm sends again shortly', count: items.length, error: String(err) }),
      )
    }
  }
  const rows = all.filter((r) => r.status !== 'waiting')
  const now = Date.now()
  for (let i = 0; i < rows.length; i += 100) {
    const chunk = rows.slice(i, i + 100)
    const ids = chunk.map((r) => r.id)
    try {
      await env.STEPFLARE_QUEUE.sendBatch(
        chunk.map((r) => ({
          body: { v: 1 as const, traceId: r.trace_id, deliveryId: r.id, step: r.step, topic: r.topic },
          delaySeconds: Math.max(0, Math.ceil((r.due_at - now) / 1000)),
        })),
      )
      if (chunk.some((r) => r.sent === 0)) markSent(sql, ids, true)
    } catch (err) {
      markSent(sql, ids, false)
      ok = false
      console.error(JSON.stringify({ level: 'error', msg: 'queue send failed; the trace alarm sends again shortly', count: chunk.length, error: String(err) }))
    }
  }
  return ok
}
