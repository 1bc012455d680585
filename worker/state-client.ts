/**
 * `ctx.state`: routes each group to its object — a TraceObject for groups named like a trace id,
 * a StateObject otherwise — and records every operation for the trace.
 * @module
 */
import type { StateOpRecord } from '../objects/trace/records'
import type { StateManager, UpdateOp } from '../sdk/context-types'
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

export function createStateManager(env: StepflareEnv, record: (op: StateOpRecord) => void = () => {}): StateManager {
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
      return (await stateTarget(env, group).stateSet(group, key, value)) as T
    },
    async delete<T>(group: string, key: string) {
      checkGroup(group, key)
      note('delete', group, key)
      return (await stateTarget(env, group).stateDelete(group, key)) as T | null
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
      return (await stateTarget(env, group).stateUpdate(group, key, ops)) as { old_value: T | null; new_value: T | null }
    },
    async listGroups() {
      note('listGroups')
      return indexStub(env).listStateGroups()
    },
  }
}
