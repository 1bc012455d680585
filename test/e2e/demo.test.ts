import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DevServer, REPO, runCli, startDev, waitForTrace } from './dev-server'

const PORT = 8791
let dev: DevServer

beforeAll(async () => {
  dev = await startDev(join(REPO, 'examples/demo'), PORT)
})
afterAll(async () => {
  await dev?.stop()
})

describe('stepflare dev on the demo', () => {
  it('prints the routes, topics, crons and the URL', () => {
    const out = dev.output()
    expect(out).toMatch(/POST\s+\/orders\s+CreateOrder/)
    expect(out).toMatch(/order\.created\s+→\s+ChargePayment/)
    expect(out).toMatch(/\* \* \* \* \*\s+OrdersReport/)
    expect(out).toContain(`Ready on http://localhost:${PORT}`)
  })

  it('completes the whole chain of a POST, every step in one trace', async () => {
    const r = await fetch(`${dev.url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'e2e-1', amount: 42, sentAt: Date.now() }),
    })
    expect(r.status).toBe(201)
    const traceId = r.headers.get('x-trace-id') as string
    expect(traceId).toBeTruthy()
    const trace = await waitForTrace(dev.url, traceId)
    expect(trace.status).toBe('completed')
    expect(trace.runs.map((x) => [x.step, x.status])).toEqual([
      ['CreateOrder', 'completed'],
      ['ChargePayment', 'completed'],
      ['FulfilOrder', 'completed'],
    ])
    const order = await (await fetch(`${dev.url}/orders/e2e-1`)).json()
    expect(order).toMatchObject({ id: 'e2e-1', amount: 42, status: 'fulfilled' })
    const list = (await (await fetch(`${dev.url}/__stepflare/traces`)).json()) as { traces: { traceId: string }[] }
    expect(list.traces.map((t) => t.traceId)).toContain(traceId)
  })

  it('rejects a bad body with 400 and the issues', async () => {
    const r = await fetch(`${dev.url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: '', amount: -1 }),
    })
    expect(r.status).toBe(400)
    const body = (await r.json()) as { issues: { path: string }[] }
    expect(body.issues.map((i) => i.path).sort()).toEqual(['amount', 'id'])
  })

  it('emits from the CLI into the running server', async () => {
    const r = await runCli(['emit', '--topic', 'order.paid', '--data', JSON.stringify({ id: 'e2e-emit', amount: 1 }), '--port', String(PORT)])
    expect(r.code).toBe(0)
    const traceId = /trace (\S+)/.exec(r.stdout)?.[1] as string
    expect(r.stdout).toMatch(/1 subscriber/)
    const trace = await waitForTrace(dev.url, traceId)
    expect(trace.runs.map((x) => x.step)).toEqual(['__emit', 'FulfilOrder'])
  })

  it('runs a cron step on demand and records it as its own trace', async () => {
    const r = (await (await fetch(`${dev.url}/__stepflare/cron/OrdersReport/run`, { method: 'POST', headers: { 'x-stepflare-request': 'test' } })).json()) as {
      traceId: string
      status: string
    }
    expect(r.status).toBe('completed')
    const trace = await waitForTrace(dev.url, r.traceId)
    expect(trace.runs[0]?.step).toBe('OrdersReport')
  })
})
