import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DevServer, REPO, runCli, startDev, type TraceJson, waitForTrace } from './dev-server'

// Fault injection against a real `stepflare dev`. Every test checks that its fault fired.
const ROOT = join(REPO, 'test/fixtures/faults')
const PORT = 8793
let dev: DevServer

beforeAll(async () => {
  dev = await startDev(ROOT, PORT)
})
afterAll(async () => {
  await dev?.stop()
})

type Run = TraceJson['runs'][number] & { reason?: string; error?: { name: string; message: string; stack?: string } }

async function start(mode: string): Promise<string> {
  const r = await fetch(`${dev.url}/chain/${mode}`, { method: 'POST' })
  expect(r.status).toBe(202)
  return ((await r.json()) as { traceId: string }).traceId
}

async function stateValue(group: string, key: string): Promise<unknown> {
  const { items } = (await (await fetch(`${dev.url}/__stepflare/state/${encodeURIComponent(group)}`)).json()) as { items: { key: string; value: unknown }[] }
  return items.find((i) => i.key === key)?.value ?? null
}

/** The line of test/fixtures/faults/steps/flaky.step.ts that throws the injected failure. */
const FLAKY_THROW_LINE =
  readFileSync(join(ROOT, 'steps/flaky.step.ts'), 'utf8')
    .split('\n')
    .findIndex((l) => l.includes('injected failure on attempt')) + 1

const runsOf = (t: TraceJson, step: string) => (t.runs as Run[]).filter((r) => r.step === step)

describe('retries', () => {
  it('(a) a step that throws on its first 2 attempts recovers on the third; downstream runs once', async () => {
    const traceId = await start('flaky2')
    const t = await waitForTrace(dev.url, traceId, (x) => x.status !== 'running', 30_000)
    expect(t.status).toBe('completed')
    const flaky = runsOf(t, 'Flaky')
    expect(flaky.map((r) => [r.attempt, r.status])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
      [3, 'completed'],
    ])
    expect(flaky[0]?.error?.message).toBe('injected failure on attempt 1')
    expect(runsOf(t, 'Downstream').map((r) => r.status)).toEqual(['completed'])
    expect(await stateValue('downstream-runs', traceId)).toBe(1)
    const d = t.deliveries.find((x) => x.step === 'Flaky') as TraceJson['deliveries'][number] & { history: { attempt: number; error?: unknown }[] }
    expect(d.history.filter((h) => h.error).map((h) => h.attempt)).toEqual([1, 2])
  })

  it("shows a failed attempt's stack at the user's own file and line, in the terminal and through /__stepflare/dev/stack", async () => {
    const traceId = await start('flaky2')
    const t = await waitForTrace(dev.url, traceId, (x) => x.status !== 'running', 30_000)
    const stack = runsOf(t, 'Flaky')[0]?.error?.stack ?? ''
    expect(stack).toMatch(/entry\.js:\d+:\d+/) // as workerd recorded it: inside the dev bundle
    const r = await fetch(`${dev.url}/__stepflare/dev/stack`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ stack }),
    })
    const mapped = (await r.json()) as { stack: string; mapped: boolean }
    expect(mapped.mapped).toBe(true)
    expect(mapped.stack).toMatch(new RegExp(`steps/flaky\\.step\\.ts:${FLAKY_THROW_LINE}:\\d+`))
    expect(dev.output()).toMatch(new RegExp(`steps/flaky\\.step\\.ts:${FLAKY_THROW_LINE}:\\d+`))
  })

  it('(f) a handler that exceeds its timeout is ended as a failure and retried', async () => {
    const traceId = await start('slow')
    const t = await waitForTrace(dev.url, traceId, (x) => x.status !== 'running', 30_000)
    const flaky = runsOf(t, 'Flaky')
    expect(flaky.map((r) => r.status)).toEqual(['failed', 'completed'])
    expect(flaky[0]?.error?.name).toBe('HandlerTimeoutError')
    expect((flaky[0]?.endedAt ?? 0) - (flaky[0]?.startedAt ?? 0)).toBeLessThan(2500)
    expect(runsOf(t, 'Downstream')).toHaveLength(1)
  })
})

describe('dead letters', () => {
  it('(b) a step that always throws ends as one dead letter with 4 attempts; redriven after a fix, the chain completes', async () => {
    const traceId = await start('always')
    const t = await waitForTrace(dev.url, traceId, (x) => x.status !== 'running', 40_000)
    expect(t.status).toBe('failed')
    expect(runsOf(t, 'Flaky').map((r) => r.status)).toEqual(['failed', 'failed', 'failed', 'dead'])
    const { deadLetters } = (await (await fetch(`${dev.url}/__stepflare/dlq?traceId=${traceId}`)).json()) as {
      deadLetters: {
        id: string
        step: string
        data: unknown
        attempts: { attempt: number; error?: { message: string } }[]
        error: { message: string; stack?: string }
        reason: string
      }[]
    }
    expect(deadLetters).toHaveLength(1)
    const dl = deadLetters[0]
    expect(dl).toMatchObject({ step: 'Flaky', data: { mode: 'always' }, reason: 'retries-exhausted', error: { message: 'injected permanent failure' } })
    // workerd does not apply source maps to error.stack: the frames point into the dev bundle
    expect(dl?.error.stack).toMatch(/^Error: injected permanent failure\n\s+at .*handler/)
    expect(dl?.attempts.map((a) => [a.attempt, a.error?.message])).toEqual([1, 2, 3, 4].map((n) => [n, 'injected permanent failure']))
    expect(runsOf(t, 'Downstream')).toHaveLength(0)

    const queues = (await (await fetch(`${dev.url}/__stepflare/queues`)).json()) as { steps: { step: string; dead: number }[] }
    expect(queues.steps.find((s) => s.step === 'Flaky')?.dead).toBeGreaterThanOrEqual(1)

    // fix it, then redrive from the CLI
    await fetch(`${dev.url}/__stepflare/state/fixes/always`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: 'true' })
    const list = await runCli(['dlq', 'list', '--trace', traceId, '--port', String(PORT)])
    expect(list.stdout).toContain(dl?.id)
    const redrive = await runCli(['dlq', 'redrive', dl?.id as string, '--port', String(PORT)])
    expect(redrive.code).toBe(0)
    expect(redrive.stdout).toContain('Redriven 1')
    const after = await waitForTrace(dev.url, traceId, (x) => x.status === 'completed', 20_000)
    expect(runsOf(after, 'Flaky').at(-1)?.status).toBe('completed')
    expect(runsOf(after, 'Downstream')).toHaveLength(1)
    const left = (await (await fetch(`${dev.url}/__stepflare/dlq?traceId=${traceId}`)).json()) as { deadLetters: unknown[] }
    expect(left.deadLetters).toHaveLength(0)
  })

  it('event data failing the input schema goes straight to the dead letters without retries', async () => {
    const r = await fetch(`${dev.url}/__stepflare/emit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ topic: 'fifo.item', data: { seq: 'x' }, messageGroupId: 'bad' }),
    })
    const { traceId } = (await r.json()) as { traceId: string }
    const t = await waitForTrace(dev.url, traceId)
    expect(t.status).toBe('failed')
    expect(runsOf(t, 'FifoRecorder').map((x) => [x.status, x.attempt])).toEqual([['dead', 1]])
    const dl = (await (await fetch(`${dev.url}/__stepflare/dlq?traceId=${traceId}`)).json()) as {
      deadLetters: { reason: string; attempts: unknown[]; error: { issues: { path: string }[] } }[]
    }
    expect(dl.deadLetters[0]?.reason).toBe('invalid-input')
    expect(dl.deadLetters[0]?.attempts).toHaveLength(1)
  })
})

describe('duplicates', () => {
  it('(c) the same queue message delivered twice runs the step once', async () => {
    const traceId = await start('ok')
    const t = await waitForTrace(dev.url, traceId)
    const d = t.deliveries.find((x) => x.step === 'Flaky') as TraceJson['deliveries'][number]
    const inject = await fetch(`${dev.url}/inject/duplicate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ traceId, deliveryId: d.id, step: 'Flaky', topic: 'work.start' }),
    })
    expect(inject.status).toBe(202)
    const after = await waitForTrace(dev.url, traceId, (x) => runsOf(x, 'Flaky').some((r) => r.status === 'skipped'), 10_000)
    const flaky = runsOf(after, 'Flaky')
    expect(flaky.map((r) => r.status)).toEqual(['completed', 'skipped'])
    expect((flaky[1] as Run).reason).toMatch(/duplicate/)
    expect(runsOf(after, 'Downstream')).toHaveLength(1)
    expect(await stateValue('attempts', `${traceId}:Flaky`)).toBe(1)
  })
})

describe('FIFO', () => {
  it('(e) 1,000 messages across 10 groups arrive in emit order within each group, one at a time', async () => {
    const r = await fetch(`${dev.url}/fifo/burst`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ count: 1000, groups: 10 }),
    })
    const { traceId } = (await r.json()) as { traceId: string }
    const t = await waitForTrace(dev.url, traceId, (x) => x.status !== 'running', 150_000)
    expect(t.status).toBe('completed')
    for (let g = 0; g < 10; g++) {
      const { items } = (await (await fetch(`${dev.url}/__stepflare/state/fifo-seen-g${g}`)).json()) as { items: { key: string; value: number }[] }
      const seqs = items.map((i) => i.value)
      expect(seqs).toHaveLength(100)
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
      expect(seqs.every((s) => s % 10 === g)).toBe(true)
      expect(await stateValue('fifo-overlaps', `g${g}`)).toBeNull()
    }
  })

  it('refuses an emit without a group id for a FIFO subscriber', async () => {
    const r = await fetch(`${dev.url}/__stepflare/emit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ topic: 'fifo.item', data: { seq: 1, group: 'x' } }),
    })
    expect(r.status).toBe(400)
    expect(JSON.stringify(await r.json())).toMatch(/FifoRecorder is a FIFO subscriber .* needs a messageGroupId/)
  })
})
