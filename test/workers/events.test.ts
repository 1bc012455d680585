import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { traceShardName } from '../../objects/trace/shards'
import type { TraceObject } from '../../objects/trace-object'
import { type StepflareEnv, traceStub } from '../../worker/env'
import { call, post, settledTrace } from './helpers'

// The fixture's generated entry (written by vitest.config.ts before the run; absent on a fresh checkout,
// so it is loaded by a path the type checker does not follow).
const ENTRY = '../fixtures/app/.stepflare/entry'
const loadWorker = async () => ((await import(/* @vite-ignore */ ENTRY)) as { default: ExportedHandler }).default

describe('events', () => {
  it('fans one emit out to both subscribers, in the same trace, through the real queue', async () => {
    const r = await post('/fan', { n: 7 })
    expect(r.status).toBe(202)
    const { traceId } = (await r.json()) as { traceId: string }
    const trace = await settledTrace(traceId)
    expect(trace.status).toBe('completed')
    expect(trace.runs.map((x) => x.step).sort()).toEqual(['FanA', 'FanB', 'FanStart'])
    expect(trace.deliveries.map((d) => [d.step, d.status, d.attempts]).sort()).toEqual([
      ['FanA', 'done', 1],
      ['FanB', 'done', 1],
    ])
    // the undeclared topic was refused and logged, not delivered
    const start = trace.runs.find((x) => x.step === 'FanStart')
    expect(start?.emits.map((e) => e.topic)).toEqual(['fan.out'])
    expect(start?.logs.some((l) => l.level === 'error' && /invalid emit/.test(l.msg))).toBe(true)
    // state written under the trace id lives in the trace object
    const state = (await (await call(`/__stepflare/state/${traceId}`)).json()) as { items: { key: string; value: { n: number } }[] }
    expect(state.items).toEqual([
      { key: 'sub-A', value: { n: 7, by: 'FanA' } },
      { key: 'sub-B', value: { n: 7, by: 'FanB' } },
    ])
  })

  it('emits from outside with POST /emit, answering as Motia does', async () => {
    const r = await post('/emit', { topic: 'fan.out', data: { n: 1 } })
    expect(r.status).toBe(200)
    const body = (await r.json()) as { success: boolean; emitted: unknown; traceId: string; deliveries: number }
    expect(body).toMatchObject({ success: true, emitted: { topic: 'fan.out', data: { n: 1 } }, deliveries: 2 })
    expect((await settledTrace(body.traceId)).status).toBe('completed')
  })

  it('lists recent traces newest first, with their status (the shards report to the list in batches)', async () => {
    const { traceId } = (await (await post('/fan', { n: 2 })).json()) as { traceId: string }
    await settledTrace(traceId)
    type Listed = { traceId: string; createdAt: number; status: string }
    let traces: Listed[] = []
    for (let i = 0; i < 100; i++) {
      traces = ((await (await call('/__stepflare/traces?limit=5')).json()) as { traces: Listed[] }).traces
      if (traces.find((t) => t.traceId === traceId)?.status === 'completed') break
      await new Promise((r) => setTimeout(r, 20))
    }
    expect(traces.find((t) => t.traceId === traceId)?.status).toBe('completed')
    const times = traces.map((t) => t.createdAt)
    expect([...times].sort((a, b) => b - a)).toEqual(times)
  })
})

describe('cron', () => {
  it('runs every step whose expression fired, each in a fresh trace, and their emits flow on', async () => {
    const ctrl = createScheduledController({ cron: '*/5 * * * *', scheduledTime: Date.now() })
    const ctx = createExecutionContext()
    await (await loadWorker()).scheduled?.(ctrl, env as never, ctx)
    await waitOnExecutionContext(ctx)
    const ticks = async () => (await (await call('/__stepflare/state/ticks')).json()) as { items: { key: string; value: number }[] }
    let items: { key: string; value: number }[] = []
    for (let i = 0; i < 200; i++) {
      items = (await ticks()).items
      if (items.find((x) => x.key === 'tock-queue')) break
      await new Promise((res) => setTimeout(res, 25))
    }
    expect(Object.fromEntries(items.map((x) => [x.key, x.value]))).toEqual({ count: 1, 'tock-cron': 1, 'tock-queue': 1 })
    // The trace list follows the shards a moment later.
    const listed = async (step: string) => ((await (await call(`/__stepflare/traces?step=${step}`)).json()) as { traces: { traceId: string }[] }).traces
    let traces = { traces: await listed('Tick') }
    let tock = { traces: await listed('Tock') }
    for (let i = 0; i < 100 && (traces.traces.length === 0 || tock.traces.length === 0); i++) {
      await new Promise((res) => setTimeout(res, 20))
      traces = { traces: await listed('Tick') }
      tock = { traces: await listed('Tock') }
    }
    expect(traces.traces).toHaveLength(1)
    expect(tock.traces).toHaveLength(1)
    expect(traces.traces[0]?.traceId).not.toBe(tock.traces[0]?.traceId)
  })

  it('ignores an expression no step uses', async () => {
    const ctx = createExecutionContext()
    await (await loadWorker()).scheduled?.(createScheduledController({ cron: '0 0 1 1 *' }), env as never, ctx)
    await waitOnExecutionContext(ctx)
  })
})

describe('trace shards', () => {
  it('spreads traces over the configured shards and recovers them all in one call', async () => {
    const ids: string[] = []
    for (let i = 0; i < 8; i++) ids.push(((await (await post('/fan', { n: i })).json()) as { traceId: string }).traceId)
    for (const id of ids) expect((await settledTrace(id)).status).toBe('completed')
    const shards = new Set(ids.map((id) => traceShardName(id, 4)))
    expect(shards.size).toBeGreaterThan(1)
    const recovered = (await (await call('/__stepflare/recover', { method: 'POST', headers: { 'x-stepflare-request': 'test' } })).json()) as {
      shards: number
      redispatched: number
    }
    expect(recovered).toEqual({ shards: 4, redispatched: 0 })
    const listed = ((await (await call('/__stepflare/traces?limit=1000')).json()) as { traces: { traceId: string }[] }).traces.map((t) => t.traceId)
    for (const id of ids) expect(listed).toContain(id)
  })
})

describe('concurrent commits', () => {
  it('commits 40 API requests that finish at once, and every chain completes once', async () => {
    const responses = await Promise.all(Array.from({ length: 40 }, (_, i) => post('/fan', { n: 100 + i })))
    expect(responses.map((r) => r.status)).toEqual(new Array(40).fill(202))
    const ids = await Promise.all(responses.map(async (r) => ((await r.json()) as { traceId: string }).traceId))
    expect(new Set(ids).size).toBe(40)
    for (const id of ids) {
      const trace = await settledTrace(id)
      expect(trace.status).toBe('completed')
      expect(trace.runs.map((x) => x.step).sort()).toEqual(['FanA', 'FanB', 'FanStart'])
      expect(trace.deliveries.map((d) => d.status)).toEqual(['done', 'done'])
    }
  })
})

describe('trace retention', () => {
  it('a finished trace purges its record when its retention is over, keeping state named by it', async () => {
    const { runInDurableObject } = await import('cloudflare:test')
    const r = await post('/fan', { n: 3 })
    const { traceId } = (await r.json()) as { traceId: string }
    await settledTrace(traceId)
    const stub = traceStub(env as unknown as StepflareEnv, traceId)
    // The shard's alarm purges traces idle since before now - retention; here, since before a moment from now.
    const purged = await runInDurableObject(stub, (instance: TraceObject) => instance.purge(Date.now() + 1))
    expect(purged).toBeGreaterThanOrEqual(1)
    expect((await call(`/__stepflare/traces/${traceId}`)).status).toBe(404)
    const state = (await (await call(`/__stepflare/state/${traceId}`)).json()) as { items: unknown[] }
    expect(state.items).toHaveLength(2)
  })
})
