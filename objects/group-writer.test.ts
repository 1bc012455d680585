import { describe, expect, it } from 'vitest'
import { type GroupStorage, GroupWriter } from './group-writer'

/** A storage whose commits are counted and finish when the test says so; savepoints undo a log. */
function fakeStorage() {
  const log: string[] = []
  const commits: (() => void)[] = []
  const storage: GroupStorage & { log: string[]; commits: (() => void)[] } = {
    log,
    commits,
    transactionSync<T>(fn: () => T): T {
      const mark = log.length
      try {
        return fn()
      } catch (err) {
        log.length = mark
        throw err
      }
    },
    sync: () => new Promise<void>((resolve) => commits.push(resolve)),
  }
  return storage
}

const tick = () => new Promise((r) => setTimeout(r, 0))

describe('GroupWriter', () => {
  it('writes a lone call at once and answers it once it is durable', async () => {
    const s = fakeStorage()
    const w = new GroupWriter(s)
    let answered = false
    const p = w
      .run(() => s.log.push('a'))
      .then(() => {
        answered = true
      })
    expect(s.log).toEqual(['a'])
    await tick()
    expect(answered).toBe(false)
    s.commits.shift()?.()
    await p
    expect(answered).toBe(true)
  })

  it('gathers the calls that arrive during a commit into one next commit', async () => {
    const s = fakeStorage()
    const w = new GroupWriter(s)
    const first = w.run(() => s.log.push('a'))
    const rest = [w.run(() => s.log.push('b')), w.run(() => s.log.push('c')), w.run(() => 'value')]
    expect(s.log).toEqual(['a'])
    s.commits.shift()?.()
    await first
    await tick()
    expect(s.log).toEqual(['a', 'b', 'c'])
    expect(s.commits).toHaveLength(1)
    s.commits.shift()?.()
    expect(await Promise.all(rest)).toEqual([2, 3, 'value'])
  })

  it('rolls back and fails only the call that threw', async () => {
    const s = fakeStorage()
    let errors = 0
    const w = new GroupWriter(s, () => errors++)
    const hold = w.run(() => s.log.push('hold'))
    const bad = w.run(() => {
      s.log.push('half')
      throw new Error('row too big')
    })
    const good = w.run(() => s.log.push('good'))
    s.commits.shift()?.()
    await hold
    await expect(bad).rejects.toThrow('row too big')
    await tick()
    s.commits.shift()?.()
    await good
    expect(s.log).toEqual(['hold', 'good'])
    expect(errors).toBe(1)
  })

  it('runs a read at once when no write waits, else after the waiting writes', async () => {
    const s = fakeStorage()
    const w = new GroupWriter(s)
    expect(w.read(() => s.log.length)).toBe(0)
    const first = w.run(() => s.log.push('a'))
    // 'a' is written and committing; nothing waits, so a read sees it at once.
    expect(w.read(() => [...s.log])).toEqual(['a'])
    const second = w.run(() => s.log.push('b'))
    const read = w.read(() => [...s.log])
    expect(read).toBeInstanceOf(Promise)
    s.commits.shift()?.()
    await first
    await tick()
    s.commits.shift()?.()
    await second
    expect(await read).toEqual(['a', 'b'])
  })

  it('fails a group whose commit fails, and goes on with the next', async () => {
    const s = fakeStorage()
    const w = new GroupWriter(s)
    s.sync = () => Promise.reject(new Error('disk gone'))
    await expect(w.run(() => 1)).rejects.toThrow('disk gone')
    s.sync = () => Promise.resolve()
    await expect(w.run(() => 2)).resolves.toBe(2)
  })
})
