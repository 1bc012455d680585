/**
 * Key/value state groups in a Durable Object's SQLite storage. The StateObject keeps one group;
 * a TraceObject keeps the groups named by its trace id. Every method is synchronous over the SQL
 * API, so each call — `update` included — is atomic within its object.
 * @module
 */
import type { UpdateOp } from '../sdk/context-types'
import { applyUpdateOps } from './update-ops'

export interface StateRpc {
  stateGet(group: string, key: string): unknown
  stateSet(group: string, key: string, value: unknown): unknown
  stateReplace(group: string, key: string, value: unknown): { old_value: unknown; new_value: unknown }
  stateDelete(group: string, key: string): unknown
  stateGetGroup(group: string): unknown[]
  stateEntries(group: string): { key: string; value: unknown }[]
  stateClear(group: string): void
  stateUpdate(group: string, key: string, ops: UpdateOp[]): { old_value: unknown; new_value: unknown }
}

export const STATE_TABLE = 'CREATE TABLE IF NOT EXISTS state (grp TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (grp, key))'

export class StateStore implements StateRpc {
  /** `schemaReady`: the owner already ran {@link STATE_TABLE} (with its own schema, in one call). */
  constructor(
    private readonly sql: SqlStorage,
    schemaReady = false,
  ) {
    if (!schemaReady) sql.exec(STATE_TABLE)
  }

  private read(group: string, key: string): unknown {
    const row = this.sql.exec<{ value: string }>('SELECT value FROM state WHERE grp = ? AND key = ?', group, key).toArray()[0]
    return row ? JSON.parse(row.value) : null
  }

  private write(group: string, key: string, value: unknown): void {
    if (value === undefined || value === null) {
      this.sql.exec('DELETE FROM state WHERE grp = ? AND key = ?', group, key)
      return
    }
    this.sql.exec(
      'INSERT INTO state (grp, key, value) VALUES (?, ?, ?) ON CONFLICT (grp, key) DO UPDATE SET value = excluded.value',
      group,
      key,
      JSON.stringify(value),
    )
  }

  stateGet(group: string, key: string): unknown {
    return this.read(group, key)
  }

  stateSet(group: string, key: string, value: unknown): unknown {
    this.write(group, key, value)
    return value
  }

  /** `stateSet` that also answers the value it replaced (for state triggers). */
  stateReplace(group: string, key: string, value: unknown): { old_value: unknown; new_value: unknown } {
    const old = this.read(group, key)
    this.write(group, key, value)
    return { old_value: old, new_value: value ?? null }
  }

  stateDelete(group: string, key: string): unknown {
    const old = this.read(group, key)
    if (old !== null) this.write(group, key, null)
    return old
  }

  stateGetGroup(group: string): unknown[] {
    return this.sql
      .exec<{ value: string }>('SELECT value FROM state WHERE grp = ? ORDER BY key', group)
      .toArray()
      .map((r) => JSON.parse(r.value))
  }

  stateEntries(group: string): { key: string; value: unknown }[] {
    return this.sql
      .exec<{ key: string; value: string }>('SELECT key, value FROM state WHERE grp = ? ORDER BY key', group)
      .toArray()
      .map((r) => ({ key: r.key, value: JSON.parse(r.value) }))
  }

  stateClear(group: string): void {
    this.sql.exec('DELETE FROM state WHERE grp = ?', group)
  }

  stateUpdate(group: string, key: string, ops: UpdateOp[]): { old_value: unknown; new_value: unknown } {
    const old = this.read(group, key)
    const next = applyUpdateOps(old, ops)
    this.write(group, key, next)
    return { old_value: old, new_value: next }
  }

  hasAny(group: string): boolean {
    return this.sql.exec('SELECT 1 FROM state WHERE grp = ? LIMIT 1', group).toArray().length > 0
  }
}
