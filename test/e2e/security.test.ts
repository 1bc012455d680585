/**
 * Issue 19 against a real `stepflare dev`: what another web page, another local process or a bad
 * input can do to it. A chain is started before any of it and must still complete exactly once.
 */
import { createHmac } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { type DevServer, REPO, startDev, waitForTrace } from './dev-server'
import { rawRequest } from './raw-http'
import { eventType, openSocket } from './ws-client'

const PORT = 8895
let dev: DevServer
let chainTrace: string

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${dev.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })

/** Every process's command line, as `ps` shows it to any local user. */
function commandLines(): { pid: number; pgrp: number; args: string[] }[] {
  const out: { pid: number; pgrp: number; args: string[] }[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean)
      const pgrp = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.split(' ')[2])
      out.push({ pid: Number(entry), pgrp, args })
    } catch {
      // the process ended
    }
  }
  return out
}

beforeAll(async () => {
  dev = await startDev(join(REPO, 'test/fixtures/security-app'), PORT)
  const r = await post('/chain', { id: 'before-bad-inputs', slowMs: 4000 })
  expect(r.status).toBe(202)
  chainTrace = ((await r.json()) as { traceId: string }).traceId
})

afterAll(async () => {
  await dev?.stop()
})

describe('the dev server answers only its own pages', () => {
  it('refuses a DNS-rebound Host with a 403 that names dev.allowedHosts', async () => {
    const r = await rawRequest(`${dev.url}/__stepflare/state`, { headers: { host: 'rebind.attacker.example' } })
    expect(r.status).toBe(403)
    expect(r.json()).toMatchObject({ error: 'Forbidden host', message: expect.stringContaining('dev.allowedHosts in stepflare.config.ts') })
    const api = await rawRequest(`${dev.url}/chain`, {
      method: 'POST',
      headers: { host: 'rebind.attacker.example:8895', 'content-type': 'application/json' },
      body: '{"id":"x"}',
    })
    expect(api.status).toBe(403)
    expect((await rawRequest(`${dev.url}/__stepflare/health`, { headers: { host: `localhost:${PORT}` } })).status).toBe(200)
  })

  it('refuses preflights and requests from another origin, and sends no CORS headers on system routes', async () => {
    const preflight = await rawRequest(`${dev.url}/__stepflare/state/x/y`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'PUT' },
    })
    expect(preflight.status).toBe(403)
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined()
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined()
    const emit = await rawRequest(`${dev.url}/__stepflare/emit`, {
      method: 'POST',
      headers: { origin: 'http://evil.example', 'content-type': 'text/plain' },
      body: JSON.stringify({ topic: 'chain.work', data: { id: 'evil', slowMs: 0 } }),
    })
    expect(emit.status).toBe(403)
    expect(emit.json()).toMatchObject({ error: 'Forbidden', message: expect.stringContaining('http://evil.example') })
    // Same origin, but a body a form could send: still refused.
    const form = await rawRequest(`${dev.url}/__stepflare/dlq/redrive`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    })
    expect(form.status).toBe(403)
    expect(form.json().message).toContain('x-stepflare-request')
    const own = await post('/__stepflare/emit', { topic: 'nobody.listens', data: {} }, { origin: dev.url })
    expect(own.status).toBe(200)
    expect(own.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('answers 415 to a cross-site form posting to an API step with a bodySchema', async () => {
    const form = await rawRequest(`${dev.url}/chain`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'id=from-a-form',
    })
    expect(form.status).toBe(415)
    expect(form.json()).toMatchObject({ error: 'Unsupported Media Type', accepted: ['application/json'] })
    const multipart = new FormData()
    multipart.set('id', 'from-a-form')
    const mp = await fetch(`${dev.url}/chain`, { method: 'POST', body: multipart })
    expect(mp.status).toBe(415)
  })
})

describe('the Python bridge trusts no other local process', () => {
  it('keeps the bridge secret off every command line, in a file only the user can read', () => {
    const procs = commandLines()
    const wrangler = procs.find((p) => p.pgrp === dev.child.pid && p.args.includes('--env-file'))
    expect(wrangler).toBeDefined()
    const args = wrangler!.args
    const file = args.filter((_, i) => args[i - 1] === '--env-file').find((f) => f.includes('stepflare-dev-')) as string
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(statSync(dirname(file)).mode & 0o777).toBe(0o700)
    const secret = /STEPFLARE_PYTHON_SECRET=(\S+)/.exec(readFileSync(file, 'utf8'))?.[1] as string
    expect(secret).toMatch(/^[0-9a-f]{48}$/)
    for (const p of procs) expect(p.args.join(' ')).not.toContain(secret)
    expect(dev.output()).not.toContain(secret)
  })

  it('answers /invoke only when signed by the Worker, and listens on loopback only', async () => {
    const wrangler = commandLines().find((p) => p.pgrp === dev.child.pid && p.args.some((a) => a.startsWith('STEPFLARE_PYTHON_URL:')))
    const arg = wrangler?.args.find((a) => a.startsWith('STEPFLARE_PYTHON_URL:')) ?? ''
    expect(arg).not.toBe('')
    const url = arg.slice('STEPFLARE_PYTHON_URL:'.length)
    const body = JSON.stringify({
      invocationId: 'intruder-1',
      step: 'LeakKey',
      file: 'steps/leak_key_step.py',
      kind: 'event',
      input: {},
      traceId: 'INTRU-1',
      callbackUrl: `${dev.url}/__stepflare/python/callback`,
      token: 'a.b',
      timeoutMs: 1000,
    })
    const unsigned = await fetch(`${url}/invoke`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    expect(unsigned.status).toBe(401)
    expect(await unsigned.json()).toMatchObject({ ok: false, error: { name: 'InvokeRefusedError', code: 'UNAUTHENTICATED' } })
    const forged = await fetch(`${url}/invoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-stepflare-signature': `v1=${'ab'.repeat(32)}` },
      body,
    })
    expect(forged.status).toBe(401)
    const port = Number(new URL(url).port).toString(16).toUpperCase().padStart(4, '0')
    const listening = readFileSync('/proc/net/tcp', 'utf8')
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter((f) => f[1]?.endsWith(`:${port}`) && f[3] === '0A')
    expect(listening.map((f) => f[1])).toEqual([`0100007F:${port}`])
  })

  it('refuses a callback signed with a leaked key once its invocation has ended', async () => {
    const r = await post('/__stepflare/emit', { topic: 'py.leak', data: {} })
    const { traceId } = (await r.json()) as { traceId: string }
    const t = await waitForTrace(dev.url, traceId, (x) => x.status !== 'running', 30_000)
    expect(t.status).toBe('completed')
    const leaked = ((await (await fetch(`${dev.url}/__stepflare/state/leaks`)).json()) as { items: { value: Record<string, string> }[] }).items[0]!.value
    const callback = JSON.stringify({
      invocationId: leaked.invocationId,
      seq: 1000,
      op: 'state.set',
      args: ['leaks', 'late', 1],
      step: leaked.step,
      traceId: leaked.traceId,
    })
    const signature = `v1=${createHmac('sha256', Buffer.from(leaked.key as string, 'hex'))
      .update(callback)
      .digest('hex')}`
    const late = await post('/__stepflare/python/callback', callback, { 'x-stepflare-claims': leaked.claims as string, 'x-stepflare-signature': signature })
    expect(late.status).toBe(410)
    expect(await late.json()).toMatchObject({ ok: false, error: { code: 'INVOCATION_ENDED' } })
    const items = ((await (await fetch(`${dev.url}/__stepflare/state/leaks`)).json()) as { items: { key: string }[] }).items
    expect(items.map((i) => i.key)).toEqual(['key'])
  })
})

describe('every bad input gets a clear 4xx and loses nothing', () => {
  it('malformed, empty, too deep and too large JSON to the system routes', async () => {
    const put = (body: string) => fetch(`${dev.url}/__stepflare/state/g/k`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body })
    const malformed = await put('{"a": ')
    expect(malformed.status).toBe(400)
    expect(await malformed.json()).toMatchObject({ error: 'Invalid request body', issues: [{ path: '', message: expect.stringContaining('not valid JSON') }] })
    const deep = await put(`${'['.repeat(3000)}${']'.repeat(3000)}`)
    expect(deep.status).toBe(400)
    expect(await deep.json()).toMatchObject({ limit: { maxDepth: 100 }, issues: [{ message: expect.stringContaining('nested deeper than 100 levels') }] })
    const emit = await post('/__stepflare/emit', `{"topic":"chain.work","data":${'{"a":'.repeat(4000)}1${'}'.repeat(4000)}}`)
    expect(emit.status).toBe(400)
    expect(await emit.json()).toMatchObject({ issues: [{ message: expect.stringContaining('nested deeper') }] })
    const huge = await put(JSON.stringify({ v: 'x'.repeat(1_200_000) }))
    expect(huge.status).toBe(413)
    expect(await huge.json()).toMatchObject({ error: 'Payload Too Large', limit: 1048576 })
  })

  it('NaN, fractional, negative, huge and unknown query values on the list routes', async () => {
    for (const route of ['traces', 'dlq']) {
      for (const q of ['limit=abc', 'limit=1.5', 'limit=-1', 'limit=99999999999', 'nope=1']) {
        const r = await fetch(`${dev.url}/__stepflare/${route}?${q}`)
        expect([route, q, r.status]).toEqual([route, q, 400])
        const body = (await r.json()) as { error: string; issues: { path: string; message: string }[] }
        expect(body.error).toBe('Invalid query')
        expect(body.issues[0]?.path).toBe(q.split('=')[0])
      }
    }
    const status = await fetch(`${dev.url}/__stepflare/traces?status=weird`)
    expect(await status.json()).toMatchObject({ issues: [{ path: 'status', message: 'expected one of "running", "completed", "failed", found "weird"' }] })
  })

  it('a stream item over the row limit is refused at set, naming the limit', async () => {
    const r = await fetch(`${dev.url}/big-item?bytes=2500000`, { method: 'POST' })
    expect(r.status).toBe(413)
    const body = (await r.json()) as { message: string; traceId: string }
    expect(body.message).toBe('stream item notes/big/item is 2.50 MB as JSON; the limit is 1.90 MB (a Durable Object SQLite row holds 2 MB)')
    const t = await waitForTrace(dev.url, body.traceId)
    expect(t.runs[0]?.error?.message).toBe(body.message)
  })

  it('closes a socket that sends a frame over 64 KiB (1009) or keeps sending junk (1008 after 20)', async () => {
    const closed = (ws: WebSocket) =>
      new Promise<{ code: number; reason: string }>((r) => ws.on('close', (code, reason) => r({ code, reason: String(reason) })))
    const big = await openSocket(`ws://127.0.0.1:${PORT}/`)
    const bigClosed = closed(big.ws)
    big.ws.send('x'.repeat(2 * 1024 * 1024))
    expect(await bigClosed).toEqual({ code: 1009, reason: 'frame too large: client frames are at most 65536 bytes' })

    const junk = await openSocket(`ws://127.0.0.1:${PORT}/`)
    const junkClosed = closed(junk.ws)
    for (let i = 0; i < 500 && junk.ws.readyState === WebSocket.OPEN; i++) junk.ws.send(`junk ${i}`)
    expect(await junkClosed).toMatchObject({ code: 1008 })
    expect(junk.frames.filter((f) => (f.error as { code?: string } | undefined)?.code === 'INVALID_JSON').length).toBe(19)

    // A well-behaved client is unaffected.
    const ok = await openSocket(`ws://127.0.0.1:${PORT}/`)
    ok.send({ type: 'join', data: { streamName: 'notes', groupId: 'g', subscriptionId: 's' } })
    await ok.waitFor((f) => eventType(f) === 'sync')
    ok.close()
  })

  it('the chain started before all of this completed, exactly once', async () => {
    const t = await waitForTrace(dev.url, chainTrace, (x) => x.status !== 'running', 30_000)
    expect(t.status).toBe('completed')
    expect(t.runs.map((r) => [r.step, r.status])).toEqual([
      ['StartChain', 'completed'],
      ['ChainWork', 'completed'],
      ['ChainDone', 'completed'],
    ])
    for (const group of ['chain-work', 'chain-done']) {
      const { items } = (await (await fetch(`${dev.url}/__stepflare/state/${group}`)).json()) as { items: { key: string; value: number }[] }
      expect(items).toEqual([{ key: 'before-bad-inputs', value: 1 }])
    }
  })
})
