/**
 * Issue 20: a step's emits go out when it ends, not when its queue batch does. Three subscribers of
 * one topic take 0.8, 1.0 and 1.5 s; each one's downstream must start within 100 ms of its end, so
 * an aggregator written as Motia apps write it (get, append, set) ends with all three results.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DevServer, REPO, startDev, waitForTrace } from './dev-server'

const PORT = 8876
let dev: DevServer

beforeAll(async () => {
  dev = await startDev(join(REPO, 'test/fixtures/prompt-emits'), PORT)
})

afterAll(async () => {
  await dev?.stop()
})

describe('prompt emits', () => {
  it('starts each downstream run within 100 ms of its upstream end, and the aggregate keeps every result', async () => {
    for (let round = 0; round < 3; round++) {
      const r = await fetch(`${dev.url}/fan`, { method: 'POST' })
      const { traceId } = (await r.json()) as { traceId: string }
      const t = await waitForTrace(dev.url, traceId, (x) => x.status !== 'running', 30_000)
      expect(t.status).toBe('completed')
      const { items } = (await (await fetch(`${dev.url}/__stepflare/state/${traceId}`)).json()) as { items: { key: string; value: unknown }[] }
      const byKey = new Map(items.map((i) => [i.key, i.value]))
      expect((byKey.get('results') as string[]).sort()).toEqual(['A', 'B', 'C'])
      for (const w of ['A', 'B', 'C']) {
        const { upstreamEndedAt, startedAt } = byKey.get(`timing-${w}`) as { upstreamEndedAt: number; startedAt: number }
        expect([w, startedAt - upstreamEndedAt]).toEqual([w, expect.any(Number)])
        expect(startedAt - upstreamEndedAt).toBeLessThan(100)
      }
    }
  })
})
