/**
 * StateObject: one per state group (other than trace-named groups). It registers its group with
 * the index on its first write so `listGroups` can find it.
 * @module
 */
import { indexStub, type StepflareEnv } from '../worker/env'
import { StateHost } from './state-host'

export class StateObject extends StateHost {
  private registered: boolean

  constructor(ctx: DurableObjectState, env: StepflareEnv) {
    super(ctx, env)
    this.registered = ctx.storage.kv.get<boolean>('registered') === true
  }

  protected touched(group: string): void {
    if (this.registered) return
    this.registered = true
    this.ctx.storage.kv.put('registered', true)
    this.ctx.waitUntil(indexStub(this.env).addStateGroup(group, 'state'))
  }
}
