import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { StepflareEnv } from '../../worker/env'
import { createStateManager } from '../../worker/state-client'
import { call } from './helpers'

const e = env as unknown as StepflareEnv

describe('state', () => {
  it('1,000 concurrent update increments on one key end at exactly 1,000', async () => {
    const state = createStateManager(e)
    const results = await Promise.all(Array.from({ length: 1000 }, () => state.update<number>('counters', 'rpc', [{ type: 'increment', by: 1 }])))
    expect(new Set(results.map((r) => r.new_value)).size).toBe(1000)
    expect(await state.get('counters', 'rpc')).toBe(1000)
  })

  it('concurrent increments through an API step are atomic too', async () => {
    // Each body is read as it arrives: workerd holds a response's connection until its body is consumed.
    const results = await Promise.all(
      Array.from({ length: 100 }, async () => {
        const r = await call('/counter/hits', { method: 'POST' })
        return { status: r.status, value: ((await r.json()) as { value: number }).value }
      }),
    )
    expect(results.every((r) => r.status === 200)).toBe(true)
    expect(new Set(results.map((r) => r.value)).size).toBe(100)
    expect(await e.STEPFLARE_STATE.getByName('counters').stateGet('counters', 'hits')).toBe(100)
  })

  it('has the classic API semantics: get null, set returns, delete returns the old value, getGroup, clear', async () => {
    const s = e.STEPFLARE_STATE.getByName('g1')
    expect(await s.stateGet('g1', 'k')).toBeNull()
    expect(await s.stateSet('g1', 'k', { a: 1 })).toEqual({ a: 1 })
    await s.stateSet('g1', 'j', 2)
    expect(await s.stateGetGroup('g1')).toEqual([2, { a: 1 }])
    expect(await s.stateDelete('g1', 'k')).toEqual({ a: 1 })
    expect(await s.stateDelete('g1', 'k')).toBeNull()
    await s.stateClear('g1')
    expect(await s.stateGetGroup('g1')).toEqual([])
  })

  it('lists groups through the index', async () => {
    await e.STEPFLARE_STATE.getByName('listed').stateSet('listed', 'k', 1)
    for (let i = 0; i < 50; i++) {
      const { groups } = (await (await call('/__stepflare/state')).json()) as { groups: string[] }
      if (groups.includes('listed')) return
      await new Promise((r) => setTimeout(r, 20))
    }
    throw new Error('group never listed')
  })
})
