/**
 * The deliveries table of a trace shard: one row per (event, subscribing step). Its status is the
 * delivery state machine — queued → running → done | retrying → running … → dead — and what
 * makes pending work survive a lost message or a restart.
 * @module
 */
import type { AttemptRecord, DeliveryStatus, DeliveryView } from './records'
import { OPEN_STATUSES } from './schema'

export interface DeliveryRow extends Record<string, SqlStorageValue> {
  id: string
  trace_id: string
  step: string
  topic: string
  data: string
  group_id: string | null
  status: DeliveryStatus
  attempts: number
  due_at: number
  lease_until: number
  boot_id: string
  redispatches: number
  history: string
  created_at: number
  /** 1 for a delivery to a FIFO step: its FifoObject sends its message, in group order. */
  fifo: number
  /** 0 when the last send of its message (or FIFO enqueue) failed: it is sent again soon, not after the grace. */
  sent: number
  /** The run that completed it (its id and JSON record), once done. */
  run_id: number | null
  run: string | null
}

/**
 * When an unfinished delivery is sent again if nothing happens to it. A message the queue
 * accepted is only late after a long grace: under a backlog messages legitimately wait minutes,
 * and re-sending them early only grows the backlog. A send that failed is retried within seconds.
 * Both double per re-send (up to 32×).
 */
export const QUEUED_GRACE_MS = 300_000
export const SEND_RETRY_MS = 1_000

export function getDelivery(sql: SqlStorage, id: string): DeliveryRow | undefined {
  return sql.exec<DeliveryRow>('SELECT * FROM deliveries WHERE id = ?', id).toArray()[0]
}

export function unfinishedDeliveries(sql: SqlStorage): DeliveryRow[] {
  return sql.exec<DeliveryRow>(`SELECT * FROM deliveries WHERE status IN ${OPEN_STATUSES}`).toArray()
}

/**
 * The earliest time an unfinished delivery of the shard is due for re-dispatch (the rule of
 * {@link redispatchAt}, in SQL over the open rows only), or null when none is unfinished.
 */
export function nextRedispatch(sql: SqlStorage): number | null {
  return sql
    .exec<{ next: number | null }>(
      `SELECT MIN(CASE WHEN status IN ('queued', 'retrying') THEN due_at + ((CASE WHEN sent = 0 THEN ? ELSE ? END) << MIN(redispatches, 5))
                 WHEN status = 'waiting' AND sent = 0 THEN due_at + (? << MIN(redispatches, 5))
                 WHEN status = 'running' THEN lease_until END) AS next
       FROM deliveries WHERE status IN ${OPEN_STATUSES}`,
      SEND_RETRY_MS,
      QUEUED_GRACE_MS,
      SEND_RETRY_MS,
    )
    .one().next
}

export function markSent(sql: SqlStorage, ids: string[], sent: boolean): void {
  for (const id of ids) sql.exec('UPDATE deliveries SET sent = ? WHERE id = ?', sent ? 1 : 0, id)
}

export function setStatus(
  sql: SqlStorage,
  id: string,
  status: DeliveryStatus,
  fields: Partial<Pick<DeliveryRow, 'due_at' | 'lease_until' | 'attempts' | 'boot_id' | 'redispatches' | 'history' | 'sent'>> = {},
): void {
  const sets = ['status = ?']
  const args: SqlStorageValue[] = [status]
  for (const [k, v] of Object.entries(fields)) {
    sets.push(`${k} = ?`)
    args.push(v as SqlStorageValue)
  }
  sql.exec(`UPDATE deliveries SET ${sets.join(', ')} WHERE id = ?`, ...args, id)
}

export function appendHistory(row: DeliveryRow, entry: AttemptRecord): string {
  const history = JSON.parse(row.history) as AttemptRecord[]
  history.push(entry)
  return JSON.stringify(history.slice(-50))
}

export function toDeliveryView(r: DeliveryRow): DeliveryView {
  return {
    id: r.id,
    step: r.step,
    topic: r.topic,
    status: r.status,
    attempts: r.attempts,
    dueAt: r.due_at,
    ...(r.group_id ? { messageGroupId: r.group_id } : {}),
    history: JSON.parse(r.history) as AttemptRecord[],
  }
}

/** When a re-dispatch of this row is due if nothing else happens to it; undefined when finished. */
export function redispatchAt(r: DeliveryRow): number | undefined {
  const grace = (r.sent === 0 ? SEND_RETRY_MS : QUEUED_GRACE_MS) * 2 ** Math.min(r.redispatches, 5)
  switch (r.status) {
    case 'queued':
    case 'retrying':
      return r.due_at + grace
    case 'running':
      return r.lease_until
    case 'waiting':
      // Its FifoObject sends its message; only an enqueue that failed is the shard's to repeat.
      return r.sent === 0 ? r.due_at + grace : undefined
    default:
      return undefined
  }
}
