import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { StepflareEnv } from '../../worker/env'
import { readTrace, readTraces } from '../../worker/trace-list'
import { call, post, settledTrace } from './helpers'

describe('readTraces', () => {
  it('reads traces from the index and the shards in the ids’ order, skipping unknown ids, as readTrace reads each', async () => {
    const fan = await post('/fan', { n: 3 })
    const fanId = fan.headers.get('x-trace-id') as string
    await settledTrace(fanId)
    const solo = [] as string[]
    for (let i = 0; i < 3; i++) solo.push((await post(`/echo/${i}`, { name: 'ada' })).headers.get('x-trace-id') as string)
    const ids = [solo[0], 'NOPE-0000000', fanId, solo[1], solo[2]] as string[]

    const views = await readTraces(env as unknown as StepflareEnv, ids)
    expect(views.map((v) => v.traceId)).toEqual([solo[0], fanId, solo[1], solo[2]])
    for (const view of views) expect(view).toEqual(await readTrace(env as unknown as StepflareEnv, view.traceId))
    expect(views[1]?.runs.length).toBe(3)
  })

  it('feeds the workbench log feed: GET /__stepflare/logs reads the recent traces', async () => {
    await post('/echo/7', { name: 'ada' })
    const r = await call('/__stepflare/logs?traces=20')
    expect(r.status).toBe(200)
    const body = (await r.json()) as { logs: unknown[]; tracesRead: number }
    expect(body.tracesRead).toBeGreaterThan(0)
    expect(Array.isArray(body.logs)).toBe(true)
  })
})
