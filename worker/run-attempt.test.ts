import { describe, expect, it, vi } from 'vitest'
import { HandlerTimeoutError } from '../sdk/errors'
import { callWithTimeout, runAttempt } from './run-attempt'

describe('runAttempt', () => {
  it('returns what the handler returns, sync or async', async () => {
    expect(await runAttempt(() => 1)).toEqual({ ok: true, value: 1 })
    expect(await runAttempt(async () => 2, 1000)).toEqual({ ok: true, value: 2 })
  })

  it('turns a throw into a failed outcome, with or without a timeout', async () => {
    const boom = new Error('boom')
    for (const timeoutMs of [undefined, 1000]) {
      expect(
        await runAttempt(() => {
          throw boom
        }, timeoutMs),
      ).toEqual({ ok: false, error: boom })
      expect(await runAttempt(() => Promise.reject(boom), timeoutMs)).toEqual({ ok: false, error: boom })
    }
  })

  it('fails a handler that runs past its timeout', async () => {
    const outcome = await runAttempt(() => new Promise((r) => setTimeout(r, 200)), 20)
    expect(outcome.ok).toBe(false)
    expect((outcome as { error: unknown }).error).toBeInstanceOf(HandlerTimeoutError)
  })
})

describe('callWithTimeout', () => {
  it('is a plain call without a timeout: the value as returned, a throw as a throw', () => {
    expect(callWithTimeout(() => 1)).toBe(1)
    expect(() =>
      callWithTimeout(() => {
        throw new Error('boom')
      }),
    ).toThrow('boom')
  })

  it('clears its timer once the handler settles', async () => {
    vi.useFakeTimers()
    try {
      expect(await callWithTimeout(async () => 3, 60_000)).toBe(3)
      await expect(callWithTimeout(() => Promise.reject(new Error('late')), 60_000)).rejects.toThrow('late')
      expect(vi.getTimerCount()).toBe(0)
    } finally {
      vi.useRealTimers()
    }
  })
})
