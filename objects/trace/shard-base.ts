/**
 * What a trace shard holds besides its traces' records: the state groups named by the trace ids
 * it hosts (Motia apps write `state.set(traceId, key, value)`), and the claims that make each
 * Python context callback usable once. TraceObject extends it.
 * @module
 */
import { indexStub, type StepflareEnv } from '../../worker/env'
import { StateHost } from '../state-host'
import { TRACE_SCHEMA } from './schema'

export abstract class TraceShardBase extends StateHost {
  protected readonly sql: SqlStorage

  constructor(ctx: DurableObjectState, env: StepflareEnv) {
    // The state table is part of the shard's schema, created here in the same call.
    super(ctx, env, true)
    this.sql = ctx.storage.sql
    this.sql.exec(TRACE_SCHEMA)
  }

  /** Python context callbacks: true the first time (invocation, seq) is seen, so a replay is refused. */
  claimCallback(invocationId: string, seq: number, expiresAt: number): boolean {
    if (seq % 50 === 0) this.sql.exec('DELETE FROM callbacks WHERE expires_at < ?', Date.now())
    return this.sql.exec('INSERT OR IGNORE INTO callbacks (inv, seq, expires_at) VALUES (?, ?, ?)', invocationId, seq, expiresAt).rowsWritten > 0
  }

  /** A trace-named group is registered with the index on its first write. */
  protected touched(group: string): void {
    if (this.ctx.storage.kv.get(`group:${group}`)) return
    this.ctx.storage.kv.put(`group:${group}`, true)
    this.ctx.waitUntil(indexStub(this.env).addStateGroup(group, 'trace'))
  }
}
