/**
 * `ctx.state`: routes each group to its object — a TraceObject for groups named like a trace id,
 * a StateObject otherwise — and records every operation for the trace.
 * @module
 */
import type { StateOpRecord } from '../objects/trace/records'
import type { StateManager, UpdateOp } from '../sdk/context-types'
import type { StateChangeSink } from './change-triggers'
import { indexStub, type StepflareEnv, traceStub } from './env'
import { checkPayload } from './payload-limits'
import { isTraceId } from './trace-id'

export function stateTarget(env: StepflareEnv, group: string) {
  return isTraceId(group) ? traceStub(env, group) : env.STEPFLARE_STATE.getByName(group)
}

function checkGroup(group: unknown, key?: unknown): void {
  if (typeof group !== 'string' || group === '') throw new TypeError(`state: expected a non-empty string group id, found ${JSON.stringify(group)}`)
  if (key !== undefined && (typeof key !== 'string' || key === '')) throw new TypeError(`state: expected a non-empty string key, found ${JSON.stringify(key)}`)
}

/** `changed`: where state changes go for state triggers (change-triggers.ts); absent when none listens. */
export function createStateManager(env: StepflareEnv, record: (op: StateOpRecord) => void = () => {}, changed?: StateChangeSink): StateManager {
  const note = (op: StateOpRecord['op'], group?: string, key?: string) => record({ op, group, key, at: Date.now() })
  return {
    async get<T>(group: string, key: string) {
      checkGroup(group, key)
      note('get', group, key)
      return (await stateTarget(env, group).stateGet(group, key)) as T | null
    },
    async set<T>(group: string, key: string, value: T) {
      checkGroup(group, key)
      checkPayload(value, `the value of state ${group}/${key}`)
      note('set', group, key)
      if (!changed) return (await stateTarget(env, group).stateSet(group, key, value)) as T
      const { old_value, new_value } = await stateTarget(env, group).stateReplace(group, key, value)
      await changed(group, key, old_value, new_value)
      return value
    },
    async delete<T>(group: string, key: string) {
      checkGroup(group, key)
      note('delete', group, key)
      const old = (await stateTarget(env, group).stateDelete(group, key)) as T | null
      if (changed && old !== null) await changed(group, key, old, null)
      return old
    },
    async getGroup<T>(group: string) {
      checkGroup(group)
      note('getGroup', group)
      return (await stateTarget(env, group).stateGetGroup(group)) as T[]
    },
    async list<T>(group: string) {
      checkGroup(group)
      note('list', group)
      return (await stateTarget(env, group).stateGetGroup(group)) as T[]
    },
    async clear(group: string) {
      checkGroup(group)
      note('clear', group)
      await stateTarget(env, group).stateClear(group)
    },
    async update<T>(group: string, key: string, ops: UpdateOp[]) {
      checkGroup(group, key)
      checkPayload(ops, `the update of state ${group}/${key}`)
      note('update', group, key)
      const result = (await stateTarget(env, group).stateUpdate(group, key, ops)) as { old_value: T | null; new_value: T | null }
      if (changed) await changed(group, key, result.old_value, result.new_value)
      return result
    },
    async listGroups() {
      note('listGroups')
      return indexStub(env).listStateGroups()
    },
  }
}
