/**
 * Statements that change many rows of a trace shard at once. Each `exec` has a fixed cost that
 * dwarfs SQLite's own work on a row, and a queue batch brings many runs to settle, so the rows
 * travel as one JSON array parameter (`json_each`) — one statement per kind of change, whatever
 * the batch size, and no limit on bound parameters.
 * @module
 */
import type { DeliveryRow } from './deliveries'

/** A run record as it is inserted. */
export interface RunRow {
  trace_id: string
  /** Unique and increasing within the shard (see TraceObject.nextId). */
  id: number
  step: string
  delivery_id: string | null
  status: string
  started_at: number
  /** The RunRecord, as JSON. */
  record: string
}

const col = (name: string) => `json_extract(value, '$.${name}')`

export function insertRuns(sql: SqlStorage, runs: RunRow[]): void {
  if (runs.length === 0) return
  const cols = ['trace_id', 'id', 'step', 'delivery_id', 'status', 'started_at', 'record']
  sql.exec(`INSERT INTO runs (${cols.join(', ')}) SELECT ${cols.map(col).join(', ')} FROM json_each(?) ORDER BY key`, JSON.stringify(runs))
}

const DELIVERY_COLUMNS = [
  'id',
  'trace_id',
  'step',
  'topic',
  'data',
  'group_id',
  'status',
  'attempts',
  'due_at',
  'lease_until',
  'boot_id',
  'redispatches',
  'history',
  'created_at',
  'fifo',
  'sent',
]

export function insertDeliveries(sql: SqlStorage, rows: DeliveryRow[]): void {
  if (rows.length === 0) return
  sql.exec(
    `INSERT INTO deliveries (${DELIVERY_COLUMNS.join(', ')}) SELECT ${DELIVERY_COLUMNS.map(col).join(', ')} FROM json_each(?) ORDER BY key`,
    JSON.stringify(rows),
  )
}

/**
 * Starts an attempt of every delivery that may run now — queued, waiting (its FIFO turn came),
 * retrying once due, or running under a lease that expired or belongs to an earlier boot — and
 * returns those rows, updated. `claims`: each delivery id with the end of its attempt's lease.
 */
export function claimDeliveries(sql: SqlStorage, claims: { id: string; until: number }[], now: number, boot: string): DeliveryRow[] {
  if (claims.length === 0) return []
  return sql
    .exec<DeliveryRow>(
      `UPDATE deliveries SET status = 'running', attempts = attempts + 1, lease_until = json_extract(j.value, '$.until'), boot_id = ?
       FROM json_each(?) AS j
       WHERE deliveries.id = json_extract(j.value, '$.id') AND (deliveries.status IN ('queued', 'waiting')
         OR (deliveries.status = 'retrying' AND NOT (deliveries.due_at > ? AND deliveries.boot_id = ?))
         OR (deliveries.status = 'running' AND NOT (deliveries.lease_until > ? AND deliveries.boot_id = ?)))
       RETURNING *`,
      boot,
      JSON.stringify(claims),
      now + 1000,
      boot,
      now,
      boot,
    )
    .toArray()
}

/**
 * Marks running deliveries done, appending each attempt to its history and keeping the run that
 * completed it (`runId`, `run`: the record as JSON); returns the rows that were running (a
 * delivery missing from the answer was not: a late duplicate).
 */
export function completeDeliveries(sql: SqlStorage, done: { id: string; startedAt: number; endedAt: number; runId: number; run: string }[]): DeliveryRow[] {
  if (done.length === 0) return []
  return sql
    .exec<DeliveryRow>(
      `UPDATE deliveries SET status = 'done', run_id = json_extract(j.value, '$.runId'), run = json_extract(j.value, '$.run'),
         history = json_insert(deliveries.history, '$[#]', json_object('attempt', deliveries.attempts,
           'startedAt', json_extract(j.value, '$.startedAt'), 'endedAt', json_extract(j.value, '$.endedAt')))
       FROM json_each(?) AS j
       WHERE deliveries.id = json_extract(j.value, '$.id') AND deliveries.status = 'running'
       RETURNING *`,
      JSON.stringify(done),
    )
    .toArray()
}
