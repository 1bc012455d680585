/// <reference types="@cloudflare/vitest-pool-workers/types" />
import { describe, expect, it } from 'vitest'
import { createFlowTester } from '../../sdk/testing'

// The flow tester of `stepflare/testing`, driving test/fixtures/app inside workerd with no
// arguments: it finds the Worker through `exports.default` of cloudflare:workers.
const flow = createFlowTester()

describe('createFlowTester', () => {
  it('posts to an API step and waits for the whole trace, then reads the state it wrote', async () => {
    const res = await flow.post('/fan', { n: 3 })
    expect(res.status).toBe(202)
    expect(res.traceId).toMatch(/^[A-Z0-9]+-\d+$/)
    const trace = await flow.waitForTrace(res.traceId!)
    expect(trace.status).toBe('completed')
    expect(trace.runs.map((r) => r.step).sort()).toEqual(['FanA', 'FanB', 'FanStart'])
    expect(await flow.state.get(res.traceId!, 'sub-A')).toEqual({ n: 3, by: 'FanA' })
    expect((await flow.state.group(res.traceId!)).map((i) => i.key)).toEqual(['sub-A', 'sub-B'])
  })

  it('gets, with path parameters and a JSON answer', async () => {
    const res = await flow.post('/echo/e1?x=1', { name: 'ada' }, { headers: { 'x-test': 'yes' } })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ pathParams: { id: 'e1' }, queryParams: { x: '1' }, body: { name: 'ada' }, test: 'yes' })
    expect(res.headers.get('x-echo')).toBe('yes')
    const text = await flow.get('/responses/text')
    expect(text.body).toBe('plain words')
  })

  it('emits from outside and waits until the Worker is idle', async () => {
    const before = ((await flow.state.get<number>('fan-counts', 'FanA')) ?? 0) as number
    const { traceId } = await flow.emit({ topic: 'fan.out', data: { n: 9 } })
    expect(traceId).toBeTruthy()
    await flow.idle()
    expect(await flow.state.get('fan-counts', 'FanA')).toBe(before + 1)
    expect((await flow.trace(traceId))?.status).toBe('completed')
  })

  it('watches a topic: the events emitted on it from now on, with their trace and step', async () => {
    const watcher = flow.watch<{ n: number }>('fan.out')
    expect(await watcher.getCapturedEvents()).toEqual([])
    const a = await flow.post('/fan', { n: 1 })
    const b = await flow.post('/fan', { n: 2 })
    await flow.waitForTrace(a.traceId!)
    await flow.waitForTrace(b.traceId!)
    const events = await watcher.getCapturedEvents()
    expect(events.map((e) => [e.topic, e.data.n, e.step])).toEqual([
      ['fan.out', 1, 'FanStart'],
      ['fan.out', 2, 'FanStart'],
    ])
    expect(events[0]?.traceId).toBe(a.traceId)
    expect((await watcher.getLastCapturedEvent())?.data).toEqual({ n: 2 })
    expect(await flow.watch('never.emitted').getCapturedEvents()).toEqual([])
  })

  it('writes state through the system routes and runs a cron step on demand', async () => {
    await flow.state.set('seeded', 'k', { v: 1 })
    expect(await flow.state.get('seeded', 'k')).toEqual({ v: 1 })
    expect(await flow.state.get('seeded', 'missing')).toBeNull()
    const before = ((await flow.state.get<number>('ticks', 'count')) ?? 0) as number
    await flow.runCron('Tick')
    await flow.idle()
    expect(await flow.state.get('ticks', 'count')).toBe(before + 1)
  })

  it('says clearly when a stream does not exist', async () => {
    await expect(flow.streams.group('nope', 'g')).rejects.toThrow(/stream nope/)
  })
})
