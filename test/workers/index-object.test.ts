import { runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { createSoloTraces, insertSoloRuns, pruneSoloTraces, soloRowValues } from '../../objects/index/solo-traces'
import type { IndexObject, SoloRun } from '../../objects/index-object'
import { indexStub, type StepflareEnv } from '../../worker/env'

const e = env as unknown as StepflareEnv

describe('IndexObject single-run traces', () => {
  it('records batches of single-run traces completely, across statements of a dozen rows', async () => {
    const now = Date.now()
    const runs: SoloRun[] = Array.from({ length: 64 }, (_, i) => ({
      traceId: `SOLOBT-${String(1000000 + i)}`,
      flows: ['solo'],
      entryKind: 'api',
      run: {
        step: 'Hello',
        trigger: { type: 'http', method: 'GET', path: '/hello' },
        attempt: 1,
        status: i % 8 === 0 ? 'failed' : 'completed',
        startedAt: now + i,
        endedAt: now + i + 1,
        emits: [],
        stateOps: [],
        logs: [],
      },
    }))
    const index = indexStub(e)
    await index.recordSoloRuns(runs.slice(0, 40).map(soloRowValues))
    await index.recordSoloRuns(runs.slice(40).map(soloRowValues))
    const listed = await index.listTraces({ flow: 'solo', limit: 100 })
    expect(listed.filter((t) => t.traceId.startsWith('SOLOBT-'))).toHaveLength(64)
    expect(listed.filter((t) => t.status === 'failed')).toHaveLength(8)
    const one = (await index.soloTrace('SOLOBT-1000063')) as { runs: unknown[] } | null
    expect(one?.runs[0]).toMatchObject({ step: 'Hello', startedAt: now + 63 })
    const first = (await index.soloTrace('SOLOBT-1000000')) as { flows: string[]; status: string; runs: unknown[] } | null
    expect(first).toMatchObject({ flows: ['solo'], status: 'failed', runs: [{ step: 'Hello', trigger: { path: '/hello' }, startedAt: now }] })
  })

  it('counts the traces a batch wrote, not the index entries (the prune runs by that count)', async () => {
    const stub = e.STEPFLARE_INDEX.getByName('count-test')
    const run = (i: number): SoloRun => ({
      traceId: `COUNT-${i}`,
      flows: [],
      entryKind: 'api',
      run: { step: 'Hello', trigger: { type: 'http' }, attempt: 1, status: 'completed', startedAt: i, endedAt: i, emits: [], stateOps: [], logs: [] },
    })
    const rows = [run(1), run(2), run(3)].map(soloRowValues)
    const [n, stored] = await runInDurableObject(stub, (_: IndexObject, state: DurableObjectState) => [
      insertSoloRuns(state.storage.sql, rows),
      state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM solo_traces WHERE trace_id LIKE 'COUNT-%'").one().n,
    ])
    expect(n).toBe(3)
    // The count is the rows written, not echoed from the input: the table holds exactly those.
    expect(stored).toBe(3)
  })

  it('keeps the newest traces up to the count and none past the age', async () => {
    const stub = e.STEPFLARE_INDEX.getByName('retention-test')
    const now = Date.now()
    const runs = (from: number, n: number, at: number): SoloRun[] =>
      Array.from({ length: n }, (_, i) => ({
        traceId: `RETAIN-${String(from + i).padStart(7, '0')}`,
        flows: [],
        entryKind: 'api',
        run: {
          step: 'Hello',
          trigger: { type: 'http' },
          attempt: 1,
          status: 'completed',
          startedAt: at + i,
          endedAt: at + i,
          emits: [],
          stateOps: [],
          logs: [],
        },
      }))
    await stub.recordSoloRuns([...runs(0, 5, now - 48 * 3_600_000), ...runs(5, 150, now)].map(soloRowValues))
    const left = await runInDurableObject(stub, (_: IndexObject, state: DurableObjectState) => {
      pruneSoloTraces(state.storage.sql, 100, 24 * 3_600_000)
      return state.storage.sql.exec<{ trace_id: string }>('SELECT trace_id FROM solo_traces ORDER BY created_at').toArray()
    })
    expect(left).toHaveLength(100)
    expect(left[0]?.trace_id).toBe('RETAIN-0000055')
    expect(left[99]?.trace_id).toBe('RETAIN-0000154')
  })

  it('moves single-run traces from the layout before solo_traces and drops the old tables', async () => {
    const stub = e.STEPFLARE_INDEX.getByName('migration-test')
    const after = await runInDurableObject(stub, (_: IndexObject, state: DurableObjectState) => {
      const sql = state.storage.sql
      sql.exec(`CREATE TABLE traces (trace_id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
        entry_step TEXT NOT NULL, entry_kind TEXT NOT NULL, flows TEXT NOT NULL, status TEXT NOT NULL, active INTEGER NOT NULL)`)
      sql.exec('CREATE TABLE solo_runs (trace_id TEXT PRIMARY KEY, record TEXT NOT NULL)')
      sql.exec(`INSERT INTO traces VALUES ('OLDONE-0000001', 10, 11, 'Hello', 'api', '["f"]', 'failed', 0)`)
      sql.exec(`INSERT INTO solo_runs VALUES ('OLDONE-0000001', '{"step":"Hello","status":"failed","startedAt":10}')`)
      createSoloTraces(sql)
      return sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('traces', 'solo_runs')").toArray()
    })
    expect(after).toEqual([])
    expect(await stub.soloTrace('OLDONE-0000001')).toMatchObject({ flows: ['f'], status: 'failed', runs: [{ id: 1, step: 'Hello', startedAt: 10 }] })
  })
})
