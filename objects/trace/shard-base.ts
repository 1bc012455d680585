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

  /**
   * Python context callbacks: `claimed` the first time (invocation, seq) is seen, `replayed` after,
   * `ended` once {@link endInvocation} ran (its row has seq -1; real callbacks count from 0).
   */
  claimCallback(invocationId: string, seq: number, expiresAt: number): 'claimed' | 'replayed' | 'ended' {
    if (seq % 50 === 0) this.sql.exec('DELETE FROM callbacks WHERE expires_at < ?', Date.now())
    if (this.sql.exec('SELECT 1 FROM callbacks WHERE inv = ? AND seq = -1', invocationId).toArray().length > 0) return 'ended'
    return this.sql.exec('INSERT OR IGNORE INTO callbacks (inv, seq, expires_at) VALUES (?, ?, ?)', invocationId, seq, expiresAt).rowsWritten > 0
      ? 'claimed'
      : 'replayed'
  }

  /** The Worker has the invocation's answer: refuse its callbacks from now on, until its token expires. */
  endInvocation(invocationId: string, expiresAt: number): void {
    this.sql.exec('INSERT OR IGNORE INTO callbacks (inv, seq, expires_at) VALUES (?, -1, ?)', invocationId, expiresAt)
  }

  /** A trace-named group is registered with the index on its first write. */
  protected touched(group: string): void {
    if (this.ctx.storage.kv.get(`group:${group}`)) return
    this.ctx.storage.kv.put(`group:${group}`, true)
    this.ctx.waitUntil(indexStub(this.env).addStateGroup(group, 'trace'))
  }
}
