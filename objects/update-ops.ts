/**
 * Applies 1.x update operations (`set`, `merge`, `increment`, `decrement`, `remove`) to a JSON
 * value. Pure; the objects call it inside one synchronous storage step, which makes it atomic.
 * @module
 */
import type { UpdateOp } from '../sdk/context-types'

export class UpdateOpError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UpdateOpError'
  }
}

type Json = unknown
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function deepMerge(a: unknown, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = isPlainObject(a) ? { ...a } : {}
  for (const [k, v] of Object.entries(b)) out[k] = isPlainObject(v) && isPlainObject(out[k]) ? deepMerge(out[k], v) : v
  return out
}

function splitPath(path: string | undefined): string[] {
  return path ? path.split('.').filter(Boolean) : []
}

const REMOVE = Symbol('remove')

/** Returns a copy of `root` with `fn` applied at `path`, creating objects along the way. */
function updateAt(root: Json, parts: string[], fn: (current: Json) => Json | typeof REMOVE): Json {
  if (parts.length === 0) {
    const next = fn(root)
    return next === REMOVE ? null : next
  }
  const [head, ...rest] = parts as [string, ...string[]]
  const base: Record<string, unknown> = isPlainObject(root) ? { ...root } : {}
  if (rest.length > 0) {
    base[head] = updateAt(base[head], rest, fn)
    return base
  }
  const next = fn(base[head])
  if (next === REMOVE) delete base[head]
  else base[head] = next
  return base
}

function toNumber(current: unknown, op: string, path: string | undefined): number {
  if (current === undefined || current === null) return 0
  if (typeof current !== 'number') throw new UpdateOpError(`${op} at ${path || '(root)'}: expected a number, found ${typeof current}`)
  return current
}

export function applyUpdateOps(value: Json, ops: readonly UpdateOp[]): Json {
  let cur = value
  for (const op of ops) {
    const parts = splitPath(op.path)
    switch (op.type) {
      case 'set':
        cur = updateAt(cur, parts, () => op.value)
        break
      case 'merge':
        if (!isPlainObject(op.value)) throw new UpdateOpError(`merge at ${op.path || '(root)'}: expected an object value`)
        cur = updateAt(cur, parts, (c) => deepMerge(c, op.value))
        break
      case 'increment':
        cur = updateAt(cur, parts, (c) => toNumber(c, 'increment', op.path) + (op.by ?? 1))
        break
      case 'decrement':
        cur = updateAt(cur, parts, (c) => toNumber(c, 'decrement', op.path) - (op.by ?? 1))
        break
      case 'remove':
        cur = updateAt(cur, parts, () => REMOVE)
        break
      default:
        throw new UpdateOpError(`unknown update operation ${JSON.stringify((op as { type?: unknown }).type)}`)
    }
  }
  return cur
}
