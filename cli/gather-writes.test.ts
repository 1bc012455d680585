import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { GATHER_MAX_BYTES, gatherWrites } from './gather-writes.mjs'

function sink() {
  const writes: string[] = []
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      writes.push(chunk.toString())
      cb()
    },
  })
  return { stream, writes }
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('gatherWrites', () => {
  it('writes what was written within the window in one write, in order, and then calls back', async () => {
    const { stream, writes } = sink()
    gatherWrites(stream, -1, 20)
    const called: number[] = []
    stream.write('a\n', () => called.push(1))
    stream.write(Buffer.from('b\n'))
    stream.write('c\n', 'utf8', () => called.push(2))
    expect(writes).toEqual([])
    await wait(60)
    expect(writes).toEqual(['a\nb\nc\n'])
    expect(called).toEqual([1, 2])
    stream.write('d\n')
    await wait(60)
    expect(writes).toEqual(['a\nb\nc\n', 'd\n'])
  })

  it('writes a large burst at once, without waiting for the window', () => {
    const { stream, writes } = sink()
    gatherWrites(stream, -1, 60_000)
    const line = `${'x'.repeat(1023)}\n`
    for (let i = 0; i < GATHER_MAX_BYTES / 1024; i++) stream.write(line)
    expect(writes).toHaveLength(1)
    expect(writes[0]).toHaveLength(GATHER_MAX_BYTES)
  })

  it('returns a flush that writes what is gathered synchronously to the descriptor and stops gathering', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gather-')), 'out')
    const fd = openSync(file, 'w')
    const { stream, writes } = sink()
    const flushNow = gatherWrites(stream, fd, 60_000)
    stream.write('last words\n')
    flushNow()
    closeSync(fd)
    expect(readFileSync(file, 'utf8')).toBe('last words\n')
    expect(writes).toEqual([])
    stream.write('after exit\n')
    expect(writes).toEqual(['after exit\n'])
  })
})
