/**
 * The HTTP surface's guards inside workerd, with `STEPFLARE_DEV=1` as under `stepflare dev`: the
 * Host check, same-origin system routes, form bodies on schema steps, strict query strings and the
 * payload limits. The same cases run end to end against a real `stepflare dev` in
 * test/e2e/security.test.ts.
 */
import { exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { call, post } from './helpers'

const json = (r: Response) => r.json() as Promise<Record<string, unknown>>

describe('the dev server answers only its own host and origin', () => {
  it('refuses a foreign Host with a 403 naming dev.allowedHosts, and answers loopback names, IPs and allowed hosts', async () => {
    const rebind = await (exports as unknown as { default: Fetcher }).default.fetch(new Request('http://rebind.attacker.example/__stepflare/health'))
    expect(rebind.status).toBe(403)
    expect(await json(rebind)).toMatchObject({ error: 'Forbidden host', host: 'rebind.attacker.example', message: expect.stringContaining('dev.allowedHosts') })
    for (const host of ['localhost:8787', '127.0.0.1:8787', 'app.localhost', '[::1]:8787', '192.168.1.20:8787', 'app.test']) {
      const r = await (exports as unknown as { default: Fetcher }).default.fetch(new Request(`http://${host}/__stepflare/health`))
      expect([host, r.status]).toEqual([host, 200])
    }
  })

  it('refuses requests and preflights from another origin, and never sends CORS headers on system routes', async () => {
    const read = await call('/__stepflare/state', { headers: { origin: 'http://evil.example' } })
    expect(read.status).toBe(403)
    expect(read.headers.get('access-control-allow-origin')).toBeNull()
    expect((await json(read)).message).toContain('http://evil.example')
    const preflight = await call('/__stepflare/state/x/y', {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'PUT' },
    })
    expect(preflight.status).toBe(403)
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull()
    const own = await call('/__stepflare/state', { headers: { origin: 'http://app.test' } })
    expect(own.status).toBe(200)
    expect(own.headers.get('access-control-allow-origin')).toBeNull()
    // The project's own API routes keep their CORS (permissive in dev, as in Motia).
    const api = await call('/echo/1', { method: 'POST', headers: { origin: 'http://frontend.test', 'content-type': 'application/json' }, body: '{"name":"a"}' })
    expect(api.headers.get('access-control-allow-origin')).toBe('http://frontend.test')
  })

  it('refuses a write that a cross-site form could send; accepts JSON or the x-stepflare-request header', async () => {
    const text = await call('/__stepflare/emit', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"topic":"tick","data":{}}' })
    expect(text.status).toBe(403)
    expect((await json(text)).message).toContain('x-stepflare-request')
    const form = await call('/__stepflare/dlq/nope/redrive', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' })
    expect(form.status).toBe(403)
    const bare = await call('/__stepflare/dlq/nope/redrive', { method: 'POST', headers: { 'x-stepflare-request': 'test' } })
    expect(bare.status).toBe(404)
    expect(await json(bare)).toMatchObject({ error: 'Dead letter not found' })
  })
})

describe('API steps with a bodySchema', () => {
  it('answer 415 to form and multipart bodies, naming what they accept', async () => {
    const form = await call('/echo/1', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=x' })
    expect(form.status).toBe(415)
    expect(await json(form)).toMatchObject({ error: 'Unsupported Media Type', accepted: ['application/json'], message: expect.stringContaining('bodyTypes') })
    const multipart = new FormData()
    multipart.set('name', 'x')
    expect((await call('/echo/1', { method: 'POST', body: multipart })).status).toBe(415)
    expect((await call('/echo/1', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"name":"x"}' })).status).toBe(415)
  })

  it('accept forms when the step lists them in bodyTypes; steps without a schema take anything', async () => {
    const form = await call('/form-orders', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'item=pen' })
    expect(form.status).toBe(201)
    expect(await json(form)).toEqual({ got: { item: 'pen' } })
    expect((await post('/form-orders', { item: 'ink' })).status).toBe(201)
    const multipart = new FormData()
    multipart.set('item', 'pad')
    expect((await call('/form-orders', { method: 'POST', body: multipart })).status).toBe(415)
    expect((await call('/bodies', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' })).status).toBe(200)
  })
})

describe('bad input gets a clear 4xx', () => {
  it('checks the list routes’ query strings', async () => {
    for (const q of [
      'limit=abc',
      'limit=1.5',
      'limit=0',
      'limit=-3',
      'limit=100000',
      'limit=NaN',
      'status=bogus',
      'since=yesterday',
      'colour=red',
      'limit=5&limit=6',
    ]) {
      const r = await call(`/__stepflare/traces?${q}`)
      expect([q, r.status]).toEqual([q, 400])
      const body = await json(r)
      expect(body.error).toBe('Invalid query')
      expect((body.issues as unknown[]).length).toBeGreaterThan(0)
    }
    expect((await call('/__stepflare/traces?limit=5&status=completed')).status).toBe(200)
    const dlq = await call('/__stepflare/dlq?limit=abc')
    expect(dlq.status).toBe(400)
    expect(await json(dlq)).toMatchObject({ issues: [{ path: 'limit', message: 'expected an integer from 1 to 10000, found "abc"' }] })
    expect((await call('/__stepflare/dlq?trace=X&limit=3')).status).toBe(200)
    // The workbench's reads too (found by test/e2e/fuzz.test.ts: `traces=1.5` reached SQL).
    for (const path of ['/__stepflare/logs?traces=1.5', '/__stepflare/logs?after=-1', '/__stepflare/streams?traces=abc', '/__stepflare/logs?token=x']) {
      expect([path, (await call(path)).status]).toEqual([path, 400])
    }
    expect((await call('/__stepflare/logs?traces=5&after=0')).status).toBe(200)
  })

  it('refuses malformed, empty, too deep and too large JSON at the edge', async () => {
    const put = (body: string) => call('/__stepflare/state/g/k', { method: 'PUT', headers: { 'content-type': 'application/json' }, body })
    const malformed = await put('{"a":')
    expect(malformed.status).toBe(400)
    expect(await json(malformed)).toMatchObject({ error: 'Invalid request body', issues: [{ message: expect.stringContaining('not valid JSON') }] })
    expect((await put('')).status).toBe(400)
    const deep = await put(`${'['.repeat(3000)}${']'.repeat(3000)}`)
    expect(deep.status).toBe(400)
    expect(await json(deep)).toMatchObject({ limit: { maxDepth: 100 }, issues: [{ message: expect.stringContaining('nested deeper than 100 levels') }] })
    const emit = await post('/__stepflare/emit', `{"topic":"tick","data":${'{"a":'.repeat(4000)}1${'}'.repeat(4000)}}`)
    expect(emit.status).toBe(400)
    const apiDeep = await post('/bodies', `${'['.repeat(500)}${']'.repeat(500)}`)
    expect(apiDeep.status).toBe(400)
    const tooBig = await put(JSON.stringify({ v: 'x'.repeat(1_100_000) }))
    expect(tooBig.status).toBe(413)
  })

  it('refuses a stream item, state value or event over the row limit at the call, naming the limit', async () => {
    for (const target of ['stream', 'state', 'event']) {
      const r = await call(`/big/${target}?bytes=2500000`, { method: 'POST' })
      expect([target, r.status]).toEqual([target, 413])
      const body = await json(r)
      expect(body.message).toMatch(/is 2\.50 MB as JSON; the limit is 1\.90 MB/)
      expect(body.traceId).toEqual(expect.any(String))
      const deep = await call(`/big/${target}?depth=150`, { method: 'POST' })
      expect([target, deep.status]).toEqual([target, 400])
      expect((await call(`/big/${target}?bytes=1000000`, { method: 'POST' })).status).toBe(200)
    }
  })
})
