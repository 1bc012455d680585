/**
 * A dead letter can be redriven for as long as it is listed, also after its trace's record was
 * purged (the trace retention passed): the index's copy brings the delivery back.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { traceShardName } from '../../objects/trace/shards'
import type { StepflareEnv } from '../../worker/env'
import { call, post } from './helpers'

const e = env as unknown as StepflareEnv
const write = { 'x-stepflare-request': 'test' }

async function until<T>(fn: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 15_000
  for (;;) {
    const v = await fn()
    if (v !== undefined) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('redriving a dead letter older than the trace retention', () => {
  it("brings the purged delivery back from the index's copy and runs it in its trace", async () => {
    const emitted = await post('/__stepflare/emit', { topic: 'flaky.in', data: { n: 7 } })
    const { traceId } = (await emitted.json()) as { traceId: string }
    const dl = await until(async () => {
      const { deadLetters } = (await (await call(`/__stepflare/dlq?traceId=${traceId}`)).json()) as { deadLetters: { id: string }[] }
      return deadLetters[0]
    }, 'the dead letter')

    // The retention passes: the shard purges the idle trace, runs and deliveries with it.
    const shard = e.STEPFLARE_TRACE.getByName(traceShardName(traceId, 4))
    expect(await shard.purge(Date.now() + 1)).toBeGreaterThanOrEqual(1)
    expect((await call(`/__stepflare/traces/${traceId}`)).status).toBe(404)

    await call('/__stepflare/state/flaky/fixed', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: 'true' })
    const redriven = await call(`/__stepflare/dlq/${encodeURIComponent(dl.id)}/redrive`, { method: 'POST', headers: write })
    expect(redriven.status).toBe(200)
    expect(await redriven.json()).toEqual({ redriven: 1 })
    await until(async () => {
      const { items } = (await (await call('/__stepflare/state/flaky')).json()) as { items: { key: string }[] }
      return items.some((i) => i.key === 'done-7') ? true : undefined
    }, 'the redriven run')
    const trace = (await (await call(`/__stepflare/traces/${traceId}`)).json()) as { status: string; deliveries: { status: string; attempts: number }[] }
    expect(trace.deliveries.map((d) => d.status)).toEqual(['done'])
    const left = (await (await call(`/__stepflare/dlq?traceId=${traceId}`)).json()) as { deadLetters: unknown[] }
    expect(left.deadLetters).toEqual([])
  })
})
