/**
 * A Durable Object that serves state groups over RPC from its own SQLite storage (StateStore):
 * the StateObject (one group) and the trace shards (the groups named by their trace ids). Each
 * says, in `touched`, what happens on a group's first write (registering it with the index).
 * Writes go through the object's {@link GroupWriter}, so concurrent ones share a commit.
 * @module
 */
import { DurableObject } from 'cloudflare:workers'
import type { UpdateOp } from '../sdk/context-types'
import type { StepflareEnv } from '../worker/env'
import { GroupWriter } from './group-writer'
import { StateStore } from './state-store'

export abstract class StateHost extends DurableObject<StepflareEnv> {
  private readonly store: StateStore
  /** Every write of the object goes through it (see group-writer.ts). */
  protected readonly writer: GroupWriter

  /** `schemaReady`: the subclass creates the state table with its own schema. */
  constructor(ctx: DurableObjectState, env: StepflareEnv, schemaReady = false) {
    super(ctx, env)
    this.store = new StateStore(ctx.storage.sql, schemaReady)
    this.writer = new GroupWriter(ctx.storage, () => this.writeFailed())
  }

  /** Called before every write to `group`. */
  protected abstract touched(group: string): void

  /** Called when a write rolled back: drop in-memory copies it may have changed. */
  protected writeFailed(): void {}

  stateGet(group: string, key: string): unknown {
    return this.writer.read(() => this.store.stateGet(group, key))
  }
  stateSet(group: string, key: string, value: unknown): Promise<unknown> {
    return this.writer.run(() => {
      this.touched(group)
      return this.store.stateSet(group, key, value)
    })
  }
  stateReplace(group: string, key: string, value: unknown): Promise<{ old_value: unknown; new_value: unknown }> {
    return this.writer.run(() => {
      this.touched(group)
      return this.store.stateReplace(group, key, value)
    })
  }
  stateDelete(group: string, key: string): Promise<unknown> {
    return this.writer.run(() => this.store.stateDelete(group, key))
  }
  stateGetGroup(group: string): unknown[] | Promise<unknown[]> {
    return this.writer.read(() => this.store.stateGetGroup(group))
  }
  stateEntries(group: string): { key: string; value: unknown }[] | Promise<{ key: string; value: unknown }[]> {
    return this.writer.read(() => this.store.stateEntries(group))
  }
  stateClear(group: string): Promise<void> {
    return this.writer.run(() => this.store.stateClear(group))
  }
  stateUpdate(group: string, key: string, ops: UpdateOp[]): Promise<{ old_value: unknown; new_value: unknown }> {
    return this.writer.run(() => {
      this.touched(group)
      return this.store.stateUpdate(group, key, ops)
    })
  }
}
