import { describe, expect, it } from 'vitest'
import { applyUpdateOps, UpdateOpError } from './update-ops'

describe('applyUpdateOps', () => {
  it('increments a missing value from zero and a nested path', () => {
    expect(applyUpdateOps(null, [{ type: 'increment' }])).toBe(1)
    expect(applyUpdateOps({ a: { n: 2 } }, [{ type: 'increment', path: 'a.n', by: 3 }])).toEqual({ a: { n: 5 } })
    expect(applyUpdateOps(undefined, [{ type: 'decrement', path: 'x.y', by: 2 }])).toEqual({ x: { y: -2 } })
  })

  it('sets, merges deeply and removes, in order', () => {
    const out = applyUpdateOps({ a: 1, b: { c: 1, d: 2 } }, [
      { type: 'set', path: 'a', value: 'one' },
      { type: 'merge', path: 'b', value: { d: 3, e: { f: 1 } } },
      { type: 'remove', path: 'b.c' },
    ])
    expect(out).toEqual({ a: 'one', b: { d: 3, e: { f: 1 } } })
  })

  it('replaces the root and removes it to null', () => {
    expect(applyUpdateOps({ a: 1 }, [{ type: 'set', value: [1, 2] }])).toEqual([1, 2])
    expect(applyUpdateOps({ a: 1 }, [{ type: 'remove' }])).toBeNull()
  })

  it('refuses arithmetic on a non-number and does not mutate the input', () => {
    const input = { a: 'x' }
    expect(() => applyUpdateOps(input, [{ type: 'increment', path: 'a' }])).toThrow(UpdateOpError)
    expect(input).toEqual({ a: 'x' })
  })
})
