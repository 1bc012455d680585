/**
 * An in-memory {@link StateManager} with the same semantics as the Durable Object one (atomic
 * `update` via the shared update operations). For tests and local tools only.
 * @module
 */
import { applyUpdateOps } from '../../objects/update-ops'
import type { StateManager, UpdateOp } from '../../sdk/context-types'

export class MemoryStateManager implements StateManager {
  readonly groups = new Map<string, Map<string, unknown>>()

  private group(id: string): Map<string, unknown> {
    let g = this.groups.get(id)
    if (!g) {
      g = new Map()
      this.groups.set(id, g)
    }
    return g
  }

  async get<T>(groupId: string, key: string): Promise<T | null> {
    return (this.groups.get(groupId)?.get(key) ?? null) as T | null
  }

  async set<T>(groupId: string, key: string, value: T): Promise<T> {
    this.group(groupId).set(key, structuredClone(value))
    return value
  }

  async delete<T>(groupId: string, key: string): Promise<T | null> {
    const g = this.groups.get(groupId)
    const old = (g?.get(key) ?? null) as T | null
    g?.delete(key)
    return old
  }

  async getGroup<T>(groupId: string): Promise<T[]> {
    return [...(this.groups.get(groupId)?.values() ?? [])] as T[]
  }

  async list<T>(groupId: string): Promise<T[]> {
    return this.getGroup<T>(groupId)
  }

  async clear(groupId: string): Promise<void> {
    this.groups.delete(groupId)
  }

  async update<T>(groupId: string, key: string, ops: UpdateOp[]): Promise<{ old_value: T | null; new_value: T | null }> {
    const old = (this.group(groupId).get(key) ?? null) as T | null
    const next = applyUpdateOps(old, ops) as T | null
    this.group(groupId).set(key, next)
    return { old_value: old, new_value: next }
  }

  async listGroups(): Promise<string[]> {
    return [...this.groups.keys()].filter((g) => (this.groups.get(g)?.size ?? 0) > 0).sort()
  }
}
