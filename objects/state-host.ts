/**
 * A Durable Object that serves state groups over RPC from its own SQLite storage (StateStore):
 * the StateObject (one group) and the trace shards (the groups named by their trace ids). Each
 * says, in `touched`, what happens on a group's first write (registering it with the index).
 * @module
 */
import { DurableObject } from 'cloudflare:workers'
import type { UpdateOp } from '../sdk/context-types'
import type { StepflareEnv } from '../worker/env'
import { type StateRpc, StateStore } from './state-store'

export abstract class StateHost extends DurableObject<StepflareEnv> implements StateRpc {
  private readonly store: StateStore

  /** `schemaReady`: the subclass creates the state table with its own schema. */
  constructor(ctx: DurableObjectState, env: StepflareEnv, schemaReady = false) {
    super(ctx, env)
    this.store = new StateStore(ctx.storage.sql, schemaReady)
  }

  /** Called before every write to `group`. */
  protected abstract touched(group: string): void

  stateGet(group: string, key: string): unknown {
    return this.store.stateGet(group, key)
  }
  stateSet(group: string, key: string, value: unknown): unknown {
    this.touched(group)
    return this.store.stateSet(group, key, value)
  }
  stateDelete(group: string, key: string): unknown {
    return this.store.stateDelete(group, key)
  }
  stateGetGroup(group: string): unknown[] {
    return this.store.stateGetGroup(group)
  }
  stateEntries(group: string): { key: string; value: unknown }[] {
    return this.store.stateEntries(group)
  }
  stateClear(group: string): void {
    this.store.stateClear(group)
  }
  stateUpdate(group: string, key: string, ops: UpdateOp[]): { old_value: unknown; new_value: unknown } {
    this.touched(group)
    return this.store.stateUpdate(group, key, ops)
  }
}
