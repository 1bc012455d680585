import { describe, expect, it } from 'vitest'
import { Settler } from './settler'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('Settler', () => {
  it('writes every outcome in one call when all arrive', async () => {
    const calls: number[][] = []
    const s = new Settler<number>(async (items) => {
      calls.push(items)
    })
    s.started(3)
    await Promise.all([s.add(1), s.add(2), s.add(3)])
    expect(calls).toEqual([[1, 2, 3]])
  })

  it('does not hold early outcomes for a slow one longer than its wait', async () => {
    const calls: number[][] = []
    const s = new Settler<number>(async (items) => {
      calls.push(items)
    }, 10)
    s.started(2)
    const first = s.add(1)
    await first
    expect(calls).toEqual([[1]])
    await sleep(5)
    await s.add(2)
    expect(calls).toEqual([[1], [2]])
  })

  it('hands each outcome its own result', async () => {
    const s = new Settler<number, string>(async (items) => items.map((n) => `r${n}`))
    s.started(2)
    expect(await Promise.all([s.add(1), s.add(2)])).toEqual(['r1', 'r2'])
  })

  it('rejects every outcome of a failed call', async () => {
    const s = new Settler<number>(async () => {
      throw new Error('unreachable shard')
    })
    s.started(2)
    const results = await Promise.allSettled([s.add(1), s.add(2)])
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected'])
  })
})
