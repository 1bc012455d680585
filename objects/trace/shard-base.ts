/**
 * What a trace shard holds besides its traces' records: the state groups named by the trace ids
 * it hosts (Motia apps write `state.set(traceId, key, value)`), and the claims that make each
 * Python context callback usable once. TraceObject extends it.
 * @module
 */
import { DurableObject } from 'cloudflare:workers'
import type { UpdateOp } from '../../sdk/context-types'
import { indexStub, type StepflareEnv } from '../../worker/env'
import { type StateRpc, StateStore } from '../state-store'
import { TRACE_SCHEMA } from './schema'

export abstract class TraceShardBase extends DurableObject<StepflareEnv> implements StateRpc {
  protected readonly sql: SqlStorage
  private readonly state: StateStore

  constructor(ctx: DurableObjectState, env: StepflareEnv) {
    super(ctx, env)
    this.sql = ctx.storage.sql
    this.sql.exec(TRACE_SCHEMA)
    this.state = new StateStore(this.sql, true)
  }

  /** Python context callbacks: true the first time (invocation, seq) is seen, so a replay is refused. */
  claimCallback(invocationId: string, seq: number, expiresAt: number): boolean {
    if (seq % 50 === 0) this.sql.exec('DELETE FROM callbacks WHERE expires_at < ?', Date.now())
    return this.sql.exec('INSERT OR IGNORE INTO callbacks (inv, seq, expires_at) VALUES (?, ?, ?)', invocationId, seq, expiresAt).rowsWritten > 0
  }

  private stateTouched(group: string): void {
    if (this.ctx.storage.kv.get(`group:${group}`)) return
    this.ctx.storage.kv.put(`group:${group}`, true)
    this.ctx.waitUntil(indexStub(this.env).addStateGroup(group, 'trace'))
  }
  stateGet(group: string, key: string): unknown {
    return this.state.stateGet(group, key)
  }
  stateSet(group: string, key: string, value: unknown): unknown {
    this.stateTouched(group)
    return this.state.stateSet(group, key, value)
  }
  stateDelete(group: string, key: string): unknown {
    return this.state.stateDelete(group, key)
  }
  stateGetGroup(group: string): unknown[] {
    return this.state.stateGetGroup(group)
  }
  stateEntries(group: string): { key: string; value: unknown }[] {
    return this.state.stateEntries(group)
  }
  stateClear(group: string): void {
    this.state.stateClear(group)
  }
  stateUpdate(group: string, key: string, ops: UpdateOp[]): { old_value: unknown; new_value: unknown } {
    this.stateTouched(group)
    return this.state.stateUpdate(group, key, ops)
  }
}
