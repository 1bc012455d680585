import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { type DevServer, REPO, startDev, type TraceJson, tempDir } from './dev-server'

const ROOT = join(REPO, 'test/fixtures/faults')
const PORT = 8794
const CHAINS = 500
let dev: DevServer | undefined

afterAll(async () => {
  await dev?.stop()
})

describe('restart survival', () => {
  it('(d) 500 chains in flight when stepflare dev is SIGKILLed all complete after a restart, none twice', async () => {
    const persistTo = tempDir('sf-restart-')
    dev = await startDev(ROOT, PORT, { persistTo })
    const traceIds: string[] = []
    let next = 0
    await Promise.all(
      Array.from({ length: 25 }, async () => {
        while (next < CHAINS) {
          next++
          const r = await fetch(`${dev?.url}/chain/inflight`, { method: 'POST' })
          expect(r.status).toBe(202)
          traceIds.push(((await r.json()) as { traceId: string }).traceId)
        }
      }),
    )
    // The trace shards' own count of traces with work left (the trace list follows a moment later).
    const activeTraces = async (url: string) => ((await (await fetch(`${url}/__stepflare/queues`)).json()) as { activeTraces: number }).activeTraces
    const before = await activeTraces(dev.url)
    await dev.stop('SIGKILL')
    // the fault fired: chains were still in flight when the process group died
    expect(before).toBeGreaterThan(0)

    dev = await startDev(ROOT, PORT, { persistTo })
    const redispatched = Number(/Re-dispatched (\d+) event/.exec(dev.output())?.[1] ?? 0)
    expect(redispatched).toBeGreaterThan(0)

    const deadline = Date.now() + 120_000
    let running = Number.POSITIVE_INFINITY
    while (Date.now() < deadline) {
      running = await activeTraces(dev.url)
      if (running === 0) break
      await new Promise((r) => setTimeout(r, 250))
    }
    expect(running).toBe(0)

    let completedTwice = 0
    for (const id of traceIds) {
      const t = (await (await fetch(`${dev.url}/__stepflare/traces/${id}`)).json()) as TraceJson
      expect(t.status).toBe('completed')
      for (const step of ['Start', 'Flaky', 'Downstream']) {
        const completed = t.runs.filter((r) => r.step === step && r.status === 'completed').length
        expect(completed, `${id} ${step}`).toBeGreaterThanOrEqual(1)
        if (completed > 1) completedTwice++
      }
    }
    expect(completedTwice).toBe(0)
    console.log(`restart: ${before} traces running at the kill, ${redispatched} deliveries re-dispatched, ${traceIds.length} chains completed once`)
  })
})
