import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { SoloRun } from '../../objects/index-object'
import { indexStub, type StepflareEnv } from '../../worker/env'

const e = env as unknown as StepflareEnv

describe('IndexObject single-run traces', () => {
  it('records a batch of single-run traces completely, sent as the Worker sends it (JSON) or as objects', async () => {
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
    await index.recordSoloRuns(JSON.stringify(runs.slice(0, 40)))
    await index.recordSoloRuns(runs.slice(40))
    const listed = await index.listTraces({ flow: 'solo', limit: 100 })
    expect(listed.filter((t) => t.traceId.startsWith('SOLOBT-'))).toHaveLength(64)
    expect(listed.filter((t) => t.status === 'failed')).toHaveLength(8)
    const one = (await index.soloTrace('SOLOBT-1000063')) as { runs: unknown[] } | null
    expect(one?.runs[0]).toMatchObject({ step: 'Hello', startedAt: now + 63 })
    const first = (await index.soloTrace('SOLOBT-1000000')) as { flows: string[]; status: string; runs: unknown[] } | null
    expect(first).toMatchObject({ flows: ['solo'], status: 'failed', runs: [{ step: 'Hello', trigger: { path: '/hello' }, startedAt: now }] })
  })
})
