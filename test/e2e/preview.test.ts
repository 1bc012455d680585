/**
 * `stepflare preview`: the deployed configuration served locally — an order chain, a stream
 * subscriber, system routes locked without the token and open with it, a seconds cron firing by
 * its schedule.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI, REPO, type ServerProcess, spawnServer, tempDir } from './dev-server'
import { eventType, openSocket } from './ws-client'

const PORT = 8897
const URL = `http://127.0.0.1:${PORT}`
const TOKEN = `preview-${Math.random().toString(36).slice(2)}`
let server: ServerProcess

beforeAll(async () => {
  server = spawnServer([CLI, 'preview', '--root', join(REPO, 'test/fixtures/preview-app'), '--port', String(PORT), '--persist-to', tempDir('sf-preview-')], {
    cwd: REPO,
    env: { STEPFLARE_SYSTEM_TOKEN: TOKEN },
  })
  const deadline = Date.now() + 150_000
  while (!/Preview of what/.test(server.output())) {
    if (server.child.exitCode !== null) throw new Error(`stepflare preview exited:\n${server.output()}`)
    if (Date.now() > deadline) throw new Error(`stepflare preview not ready:\n${server.output()}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}, 180_000)

afterAll(async () => {
  await server?.stop()
})

const bearer = { authorization: `Bearer ${TOKEN}` }

describe('stepflare preview', () => {
  it('says what it is and what differs from Cloudflare, and never prints a token it was given', () => {
    expect(server.output()).toContain('What differs from Cloudflare:')
    expect(server.output()).not.toContain(TOKEN)
  })

  it('locks the system routes: 404 without the token, open with it', async () => {
    for (const path of ['/__stepflare/traces', '/__stepflare/health', '/__stepflare/', '/__stepflare/dev/stack']) {
      expect([path, (await fetch(`${URL}${path}`)).status]).toEqual([path, 404])
    }
    const health = await fetch(`${URL}/__stepflare/health`, { headers: bearer })
    expect(health.status).toBe(200)
  })

  it('runs the order chain and streams it to a subscriber', async () => {
    const ws = await openSocket(`ws://127.0.0.1:${PORT}/`)
    ws.send({ type: 'join', data: { streamName: 'board', groupId: 'orders', subscriptionId: 's' } })
    await ws.waitFor((f) => eventType(f) === 'sync')
    const r = await fetch(`${URL}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'pv-1' }) })
    expect(r.status).toBe(202)
    const { traceId } = (await r.json()) as { traceId: string }
    await ws.waitFor((f) => (f.event as { data?: { status?: string } } | undefined)?.data?.status === 'closed', 20_000)
    expect(await (await fetch(`${URL}/orders/pv-1`)).json()).toEqual({ status: 'closed' })
    const trace = (await (await fetch(`${URL}/__stepflare/traces/${traceId}`, { headers: bearer })).json()) as { status: string; runs: { step: string }[] }
    expect(trace.status).toBe('completed')
    expect(trace.runs.map((x) => x.step)).toEqual(['CreateOrder', 'ShipOrder', 'CloseOrder'])
    ws.close()
  })

  it('fires a cron step by its schedule', async () => {
    const count = async () => ((await (await fetch(`${URL}/ticks`)).json()) as { count: number }).count
    const deadline = Date.now() + 20_000
    let seen = await count()
    while (seen < 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500))
      seen = await count()
    }
    expect(seen).toBeGreaterThanOrEqual(2)
  })
})
