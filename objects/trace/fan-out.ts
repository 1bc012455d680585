/**
 * Fan-out: a completed run's emits become one delivery row per subscribing step (FIFO steps'
 * rows wait for their group's turn).
 * @module
 */
import { getRuntime } from '../../worker/runtime'
import type { DeliveryRow } from './deliveries'
import type { EmitRecord } from './records'

/** `nextId`: the shard's increasing id source; `bootId`: the isolate that sends the messages. */
export function fanOut(traceId: string, emits: EmitRecord[], nextId: () => number, bootId: string): DeliveryRow[] {
  const rt = getRuntime()
  const now = Date.now()
  const rows: DeliveryRow[] = []
  for (const e of emits) {
    for (const sub of rt.subscribersOf(e.topic)) {
      const fifo = sub.trigger.queue.type === 'fifo' ? 1 : 0
      rows.push({
        id: `${traceId}:${nextId().toString(36)}`,
        trace_id: traceId,
        step: sub.step.model.name,
        topic: e.topic,
        data: JSON.stringify(e.data ?? null),
        group_id: e.messageGroupId ?? null,
        status: fifo ? 'waiting' : 'queued',
        attempts: 0,
        due_at: now + sub.trigger.queue.delaySeconds * 1000,
        lease_until: 0,
        boot_id: bootId,
        redispatches: 0,
        history: '[]',
        created_at: now,
        fifo,
        sent: 1,
        run_id: null,
        run: null,
      })
    }
  }
  return rows
}
