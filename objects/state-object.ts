/**
 * StateObject: one per state group (other than trace-named groups). It registers its group with
 * the index on its first write so `listGroups` can find it.
 * @module
 */
import { DurableObject } from 'cloudflare:workers'
import type { UpdateOp } from '../sdk/context-types'
import { indexStub, type StepflareEnv } from '../worker/env'
import { type StateRpc, StateStore } from './state-store'

export class StateObject extends DurableObject<StepflareEnv> implements StateRpc {
  private readonly store: StateStore
  private registered: boolean

  constructor(ctx: DurableObjectState, env: StepflareEnv) {
    super(ctx, env)
    this.store = new StateStore(ctx.storage.sql)
    this.registered = ctx.storage.kv.get<boolean>('registered') === true
  }

  private touched(group: string): void {
    if (this.registered) return
    this.registered = true
    this.ctx.storage.kv.put('registered', true)
    this.ctx.waitUntil(indexStub(this.env).addStateGroup(group, 'state'))
  }

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
