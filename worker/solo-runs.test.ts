import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { type SoloRowValues, type SoloRun, soloRowValues } from '../objects/index/solo-traces'
import type { StepflareEnv } from './env'

// The index stub is the seam: each flush is one recordSoloRuns call with a batch of rows.
function fakeEnv() {
  const batches: SoloRowValues[][] = []
  const env = { STEPFLARE_INDEX: { getByName: () => ({ recordSoloRuns: async (rows: SoloRowValues[]) => void batches.push(rows) }) } }
  return { env: env as unknown as StepflareEnv, batches }
}

const run = (i: number): SoloRun => ({
  traceId: `SOLOUT-${String(i).padStart(7, '0')}`,
  flows: [],
  entryKind: 'api',
  run: { step: 'Hello', trigger: { type: 'http' }, attempt: 1, status: 'completed', startedAt: i, endedAt: i, emits: [], stateOps: [], logs: [] },
})

describe('single-run trace batches', () => {
  let mod: typeof import('./solo-runs')
  beforeEach(async () => {
    vi.useFakeTimers()
    vi.resetModules()
    mod = await import('./solo-runs')
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('writes a batch when its window ends; only the request that armed the timer holds the write', async () => {
    const { env, batches } = fakeEnv()
    const first = mod.recordSoloRun(env, run(1))
    expect(first).toBeInstanceOf(Promise)
    expect(mod.recordSoloRun(env, run(2))).toBeNull()
    await vi.advanceTimersByTimeAsync(mod.FLUSH_MS)
    await first
    expect(batches.map((b) => b.map((r) => r[0]))).toEqual([['SOLOUT-0000001', 'SOLOUT-0000002']])
  })

  it('writes a full batch at once', async () => {
    const { env, batches } = fakeEnv()
    let full: Promise<void> | null = null
    for (let i = 0; i < mod.FLUSH_SIZE; i++) full = mod.recordSoloRun(env, run(i))
    await full
    expect(batches).toHaveLength(1)
    expect(batches[0]).toHaveLength(mod.FLUSH_SIZE)
  })

  it('a read flushes what is buffered, so the trace can be read at once', async () => {
    const { env, batches } = fakeEnv()
    mod.recordSoloRun(env, run(7))
    await mod.flushSoloRuns(env)
    expect(batches).toEqual([[soloRowValues(run(7))]])
    await vi.advanceTimersByTimeAsync(mod.FLUSH_MS)
    expect(batches).toHaveLength(1)
  })

  it('arms a new timer when the armed one never fired (its request ended)', async () => {
    const { env, batches } = fakeEnv()
    mod.recordSoloRun(env, run(1))
    vi.clearAllTimers()
    vi.setSystemTime(Date.now() + mod.FLUSH_MS * 5)
    expect(mod.recordSoloRun(env, run(2))).toBeInstanceOf(Promise)
    await vi.advanceTimersByTimeAsync(mod.FLUSH_MS)
    expect(batches.map((b) => b.length)).toEqual([2])
  })
})
