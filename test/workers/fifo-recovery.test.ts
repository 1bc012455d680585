import { runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { type FifoObject, fifoName } from '../../objects/fifo-object'
import type { TraceObject } from '../../objects/trace-object'
import { type StepflareEnv, traceStub } from '../../worker/env'
import { newTraceId } from '../../worker/trace-id'
import { post, settledTrace } from './helpers'

const e = env as unknown as StepflareEnv

/** Faults injected into one shard's view of its FIFO objects (real objects otherwise). */
type Faults = { enqueue?: boolean; release?: boolean }

async function injectFifoFaults(traceId: string, faults: Faults | null): Promise<void> {
  await runInDurableObject(traceStub(e, traceId), (shard: TraceObject) => {
    const own = shard as unknown as { env: StepflareEnv; realEnv?: StepflareEnv; faultsFired?: number }
    own.realEnv ??= own.env
    const real = own.realEnv
    if (!faults) {
      own.env = real
      return
    }
    own.faultsFired = 0
    const fail = (what: string) => {
      own.faultsFired = (own.faultsFired ?? 0) + 1
      return Promise.reject(new Error(`injected ${what} failure`))
    }
    own.env = {
      ...real,
      STEPFLARE_FIFO: {
        getByName: (name: string) => {
          const fifo = real.STEPFLARE_FIFO.getByName(name)
          return {
            enqueue: (items: never) => (faults.enqueue ? fail('enqueue') : fifo.enqueue(items)),
            release: (id: string) => (faults.release ? fail('release') : fifo.release(id)),
          }
        },
      },
    } as unknown as StepflareEnv
  })
}

/** How many injected failures the shard has met since its faults were set. */
const faultsFired = (traceId: string) =>
  runInDurableObject(traceStub(e, traceId), (shard: TraceObject) => (shard as unknown as { faultsFired?: number }).faultsFired ?? 0)

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const v = await read()
    if (ok(v) || Date.now() > deadline) return v
    await new Promise((r) => setTimeout(r, 25))
  }
}

const deliveries = (traceId: string) =>
  runInDurableObject(traceStub(e, traceId), (_: TraceObject, state: DurableObjectState) =>
    state.storage.sql.exec<{ status: string; sent: number }>('SELECT status, sent FROM deliveries WHERE trace_id = ? ORDER BY id', traceId).toArray(),
  )

describe('FIFO delivery survives failures between the shard and the group', () => {
  it('a delivery whose enqueue failed is handed to its group again by the shard alarm, and runs', async () => {
    const traceId = newTraceId()
    await injectFifoFaults(traceId, { enqueue: true })
    try {
      const r = await post('/__stepflare/emit', { topic: 'fifo.note', data: { group: 'enq', n: 1 }, messageGroupId: 'enq', traceId })
      expect(r.status).toBe(200)
      const failed = await until(
        () => deliveries(traceId),
        (rows) => rows[0]?.sent === 0,
      )
      expect(failed).toEqual([{ status: 'waiting', sent: 0 }])
      expect(await faultsFired(traceId)).toBeGreaterThan(0)
    } finally {
      await injectFifoFaults(traceId, null)
    }
    // Nothing else touches the trace: the shard's alarm (about a second later) enqueues it again.
    const trace = await settledTrace(traceId)
    expect(trace.deliveries).toMatchObject([{ step: 'FifoNote', status: 'done' }])
    expect(await deliveries(traceId)).toEqual([{ status: 'done', sent: 1 }])
  })

  it('a group whose head release failed resumes when the head is sent again, in order', async () => {
    const traceId = newTraceId()
    await injectFifoFaults(traceId, { release: true })
    try {
      for (const n of [1, 2]) {
        const r = await post('/__stepflare/emit', { topic: 'fifo.note', data: { group: 'rel', n }, messageGroupId: 'rel', traceId })
        expect(r.status).toBe(200)
      }
      // The first ran and its release was refused, so the second stays waiting.
      expect(
        await until(
          () => faultsFired(traceId),
          (n) => n > 0,
        ),
      ).toBeGreaterThan(0)
      const stuck = await deliveries(traceId)
      expect(stuck.map((d) => d.status)).toEqual(['done', 'waiting'])
    } finally {
      await injectFifoFaults(traceId, null)
    }
    // The group's object sends an unreleased head again after RESEND_AFTER_MS; age it rather than wait.
    const group = e.STEPFLARE_FIFO.getByName(fifoName('FifoNote', 'rel'))
    await runInDurableObject(group, async (fifo: FifoObject, state: DurableObjectState) => {
      state.storage.sql.exec('UPDATE entries SET sent_at = sent_at - 3600000 WHERE sent_at > 0')
      await fifo.alarm()
    })
    const trace = await settledTrace(traceId)
    expect(trace.deliveries.map((d) => d.status)).toEqual(['done', 'done'])
    expect(await group.pending()).toBe(0)
  })
})
