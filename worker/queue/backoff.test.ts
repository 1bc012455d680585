import { describe, expect, it } from 'vitest'
import { backoffMs } from './backoff'

const mid = () => 0.5

describe('backoffMs', () => {
  it('doubles from the base delay, exponential by default', () => {
    const q = { backoffType: 'exponential' as const, backoffDelayMs: 1000 }
    expect([1, 2, 3, 4].map((a) => backoffMs(q, a, undefined, mid))).toEqual([1000, 2000, 4000, 8000])
  })
  it('is linear or fixed when asked, and capped', () => {
    expect(backoffMs({ backoffType: 'linear', backoffDelayMs: 500 }, 3, undefined, mid)).toBe(1500)
    expect(backoffMs({ backoffType: 'fixed', backoffDelayMs: 700 }, 9, undefined, mid)).toBe(700)
    expect(backoffMs({ backoffType: 'exponential', backoffDelayMs: 1000 }, 30, 60_000, mid)).toBe(60_000)
  })
  it('jitters within ±25%', () => {
    const q = { backoffType: 'exponential' as const, backoffDelayMs: 1000 }
    expect(backoffMs(q, 1, undefined, () => 0)).toBe(750)
    expect(backoffMs(q, 1, undefined, () => 0.999999)).toBe(1250)
  })
})
