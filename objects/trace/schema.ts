/**
 * The database of a trace shard: the traces it hosts, their step runs and deliveries, the state
 * groups named by their trace ids, Python callback claims and the completed-delivery totals of
 * purged traces. One `exec` for all of it (each call has a fixed cost).
 *
 * Every row written costs the isolate tens of microseconds locally, so the hot path writes few:
 * the run that starts a trace is kept in the trace's row (`entry_run`), the run that completes a
 * delivery in the delivery's row (`run`); only the other runs (failed, skipped, dead attempts,
 * later entry runs) get rows of their own in `runs`. Few indexes, for the same reason: runs are
 * clustered by trace, a trace's deliveries are found by their id's prefix (`<traceId>:<id>`, see
 * {@link traceDeliveries}), the open ones by trace.
 * @module
 */
import { STATE_TABLE } from '../state-store'

/** The statuses of a delivery that still has work; the partial indexes below cover exactly these. */
export const OPEN_STATUSES = "('waiting', 'queued', 'running', 'retrying')"

/** A WHERE clause (and its arguments) for the deliveries of one trace, through the primary key. */
export function traceDeliveries(traceId: string): [string, string, string, string] {
  return ['id >= ? AND id < ? AND trace_id = ?', `${traceId}:`, `${traceId};`, traceId]
}

export const TRACE_SCHEMA = `
CREATE TABLE IF NOT EXISTS traces (
  trace_id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  entry_step TEXT NOT NULL, entry_kind TEXT NOT NULL, flows TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0, entry_run_id INTEGER, entry_run TEXT);
CREATE INDEX IF NOT EXISTS traces_created ON traces (created_at);
CREATE INDEX IF NOT EXISTS traces_idle ON traces (updated_at) WHERE active = 0;
CREATE TABLE IF NOT EXISTS runs (
  trace_id TEXT NOT NULL, id INTEGER NOT NULL, step TEXT NOT NULL, delivery_id TEXT,
  status TEXT NOT NULL, started_at INTEGER NOT NULL, record TEXT NOT NULL, PRIMARY KEY (trace_id, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS deliveries (
  id TEXT PRIMARY KEY, trace_id TEXT NOT NULL, step TEXT NOT NULL, topic TEXT NOT NULL, data TEXT NOT NULL, group_id TEXT,
  status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, due_at INTEGER NOT NULL, lease_until INTEGER NOT NULL DEFAULT 0,
  boot_id TEXT NOT NULL DEFAULT '', redispatches INTEGER NOT NULL DEFAULT 0, history TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL, fifo INTEGER NOT NULL DEFAULT 0, sent INTEGER NOT NULL DEFAULT 1, run_id INTEGER, run TEXT);
CREATE INDEX IF NOT EXISTS deliveries_open ON deliveries (trace_id) WHERE status IN ${OPEN_STATUSES};
CREATE TABLE IF NOT EXISTS step_totals (step TEXT PRIMARY KEY, completed INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS callbacks (inv TEXT NOT NULL, seq INTEGER NOT NULL, expires_at INTEGER NOT NULL, PRIMARY KEY (inv, seq));
${STATE_TABLE};`
