import { afterEach, describe, expect, it, vi } from 'vitest'
import { isTraceId, newTraceId } from './trace-id'

describe('newTraceId', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('has Motia’s shape: six letters, a dash and the last seven digits of the clock', () => {
    const id = newTraceId(1_700_000_123_456)
    expect(id).toMatch(/^[A-HJ-NP-Z2-9]{6}-0123456$/)
    expect(isTraceId(id)).toBe(true)
  })

  it('draws random bytes a pool at a time, and every id from fresh ones', () => {
    const draw = vi.spyOn(crypto, 'getRandomValues')
    const ids = Array.from({ length: 1024 }, () => newTraceId(0))
    expect(draw.mock.calls.length).toBeGreaterThanOrEqual(4)
    expect(draw.mock.calls.length).toBeLessThanOrEqual(5)
    // Consecutive ids never reuse the same bytes (a stuck pool would repeat them).
    for (let i = 1; i < ids.length; i++) expect(ids[i]).not.toBe(ids[i - 1])
  })

  it('uses every letter of the alphabet in every position', () => {
    const ids = Array.from({ length: 4096 }, () => newTraceId(1_700_000_123_456))
    for (let position = 0; position < 6; position++) expect(new Set(ids.map((id) => id[position])).size).toBe(32)
  })
})
