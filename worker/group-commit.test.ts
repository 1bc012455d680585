import { describe, expect, it } from 'vitest'
import { GroupCommitter } from './group-commit'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const noWait = () => {}

/** A send whose calls finish when the test says. */
function gatedSend() {
  const calls: { items: number[]; finish: (err?: Error) => void }[] = []
  const send = (items: number[]) =>
    new Promise<void>((resolve, reject) => {
      calls.push({ items, finish: (err) => (err ? reject(err) : resolve()) })
    })
  return { calls, send }
}

describe('GroupCommitter', () => {
  it('sends a lone commit at once', async () => {
    const { calls, send } = gatedSend()
    const g = new GroupCommitter({ send })
    const p = g.commit(1, noWait)
    expect(calls.map((c) => c.items)).toEqual([[1]])
    calls[0]?.finish()
    await p
  })

  it('groups the commits that arrive while one is in flight into the next call, led by the first of them', async () => {
    const { calls, send } = gatedSend()
    const g = new GroupCommitter({ send })
    const first = g.commit(1, noWait)
    const rest = [g.commit(2, noWait), g.commit(3, noWait), g.commit(4, noWait)]
    await sleep(1)
    expect(calls.map((c) => c.items)).toEqual([[1]])
    calls[0]?.finish()
    await first
    await sleep(1)
    expect(calls.map((c) => c.items)).toEqual([[1], [2, 3, 4]])
    calls[1]?.finish()
    await Promise.all(rest)
    const after = g.commit(5, noWait)
    expect(calls.map((c) => c.items)).toEqual([[1], [2, 3, 4], [5]])
    calls[2]?.finish()
    await after
  })

  it('fails every run of a failed call, and the next call still goes', async () => {
    const { calls, send } = gatedSend()
    const g = new GroupCommitter({ send })
    const first = g.commit(1, noWait)
    const second = g.commit(2, noWait)
    const third = g.commit(3, noWait)
    calls[0]?.finish(new Error('shard unreachable'))
    await expect(first).rejects.toThrow('shard unreachable')
    await sleep(1)
    calls[1]?.finish(new Error('still unreachable'))
    await expect(second).rejects.toThrow('still unreachable')
    await expect(third).rejects.toThrow('still unreachable')
  })

  it('a waiter told to lead that never runs does not stall the others: they lead after the wait limit, each run sent once', async () => {
    const { calls, send } = gatedSend()
    let now = 0
    const g = new GroupCommitter({ send, waitLimitMs: 20, now: () => now })
    const first = g.commit(1, noWait)
    const waiting = g.commit(2, noWait)
    await sleep(1)
    // A leader that vanished: nothing finishes call 1 within the limit.
    now = 100
    await sleep(40)
    expect(calls.map((c) => c.items)).toEqual([[1], [2]])
    // Leadership older than the limit counts as lost: a new commit goes at once.
    now = 200
    const late = g.commit(3, noWait)
    expect(calls.map((c) => c.items)).toEqual([[1], [2], [3]])
    for (const c of calls) c.finish()
    await Promise.all([first, waiting, late])
  })

  it('a run taken into a slow call waits for that call, never leads a second one', async () => {
    const { calls, send } = gatedSend()
    const g = new GroupCommitter({ send, waitLimitMs: 10 })
    const first = g.commit(1, noWait)
    const second = g.commit(2, noWait)
    calls[0]?.finish()
    await first
    await sleep(1)
    const third = g.commit(3, noWait)
    expect(calls.map((c) => c.items)).toEqual([[1], [2]])
    await sleep(30)
    // 3 timed out untaken and led by itself; 2 stayed with its own call.
    expect(calls.map((c) => c.items)).toEqual([[1], [2], [3]])
    calls[1]?.finish()
    calls[2]?.finish()
    await Promise.all([second, third])
  })

  it('keeps each call alive with waitUntil', async () => {
    const { calls, send } = gatedSend()
    const kept: Promise<unknown>[] = []
    const g = new GroupCommitter({ send })
    const p = g.commit(1, (q) => kept.push(q))
    expect(kept).toHaveLength(1)
    calls[0]?.finish()
    await p
  })
})
