import { describe, expect, it } from 'vitest'
import { call, post } from './helpers'

describe('API steps in workerd', () => {
  it('passes path params, repeated query params, headers and a validated JSON body', async () => {
    const r = await post('/echo/42?tag=a&tag=b&one=1', { name: 'ada', count: 3 }, { 'x-test': 'hi' })
    expect(r.status).toBe(200)
    expect(r.headers.get('x-echo')).toBe('yes')
    const body = (await r.json()) as Record<string, unknown>
    expect(body).toMatchObject({ pathParams: { id: '42' }, queryParams: { tag: ['a', 'b'], one: '1' }, body: { name: 'ada', count: 3 }, test: 'hi' })
    expect(r.headers.get('x-trace-id')).toBe(body.traceId)
  })

  it('answers 400 with the zod issues and does not call the handler', async () => {
    const r = await post('/echo/1', { count: 'x' })
    expect(r.status).toBe(400)
    const body = (await r.json()) as { error: string; issues: { path: string; message: string }[] }
    expect(body.error).toBe('Invalid request body')
    expect(body.issues.map((i) => i.path).sort()).toEqual(['count', 'name'])
    expect(r.headers.get('x-trace-id')).toBeNull()
  })

  it('checks a JSON Schema bodySchema too', async () => {
    expect((await post('/json-schema', { email: 'a@b.co', age: 3 })).status).toBe(200)
    const bad = await post('/json-schema', { age: -1 })
    expect(bad.status).toBe(400)
    const body = (await bad.json()) as { issues: { path: string; message: string }[] }
    expect(body.issues.length).toBeGreaterThan(0)
    expect(JSON.stringify(body.issues)).toMatch(/email|required/)
  })

  it('answers 400 for malformed JSON', async () => {
    const r = await post('/echo/1', '{"name": ')
    expect(r.status).toBe(400)
    expect(((await r.json()) as { issues: { message: string }[] }).issues[0]?.message).toMatch(/not valid JSON/)
  })

  it('parses urlencoded and text bodies and keeps rawBody', async () => {
    const form = await call('/bodies', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1&b=2&b=3' })
    expect(await form.json()).toEqual({ body: { a: '1', b: ['2', '3'] }, rawBody: 'a=1&b=2&b=3', method: 'POST', type: 'object' })
    const text = await call('/bodies', { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: 'hello' })
    expect(await text.json()).toEqual({ body: 'hello', rawBody: 'hello', method: 'PUT', type: 'string' })
  })

  it("maps Motia's response shapes: string, binary, empty, JSON", async () => {
    const text = await call('/responses/text')
    expect(text.status).toBe(202)
    expect(text.headers.get('x-kind')).toBe('text')
    expect(await text.text()).toBe('plain words')
    const bin = await call('/responses/binary')
    expect(bin.headers.get('content-type')).toBe('image/png')
    expect([...new Uint8Array(await bin.arrayBuffer())]).toEqual([137, 80, 78, 71])
    const empty = await call('/responses/empty')
    expect(empty.status).toBe(204)
    expect(await empty.text()).toBe('')
    expect(await (await call('/responses/json')).json()).toEqual({ kind: 'json' })
  })

  it('answers a JSON 500 when the handler throws or returns nothing, and records the error in the trace', async () => {
    for (const kind of ['throws', 'nothing']) {
      const r = await call(`/responses/${kind}`)
      expect(r.status).toBe(500)
      const body = (await r.json()) as { error: string; traceId: string }
      expect(body.error).toBe('Internal server error')
      let trace: { status: string; runs: { status: string; error?: { message: string }; logs: { msg: string }[] }[] } | undefined
      for (let i = 0; i < 100 && !trace; i++) {
        const t = await call(`/__stepflare/traces/${body.traceId}`)
        if (t.ok) trace = (await t.json()) as typeof trace
        else await new Promise((res) => setTimeout(res, 20))
      }
      expect(trace?.status).toBe('failed')
      expect(trace?.runs[0]?.status).toBe('failed')
      expect(trace?.runs[0]?.error?.message).toMatch(kind === 'throws' ? /boom in handler/ : /no response/)
      expect(trace?.runs[0]?.logs.some((l) => l.msg === 'API handler failed')).toBe(true)
    }
  })

  it('answers 404 and 405 as JSON', async () => {
    const missing = await call('/nowhere')
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({ error: 'Not Found', path: '/nowhere' })
    const wrong = await call('/echo/1', { method: 'GET' })
    expect(wrong.status).toBe(405)
    expect(wrong.headers.get('allow')).toBe('POST')
    expect(await wrong.json()).toMatchObject({ error: 'Method Not Allowed', allowed: ['POST'] })
  })

  it('answers 413 past the body limit, to browsers too (with CORS headers)', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) })
    const r = await post('/echo/1', big)
    expect(r.status).toBe(413)
    expect(await r.json()).toMatchObject({ error: 'Payload Too Large' })
    const fromBrowser = await call('/echo/1', { method: 'POST', body: big, headers: { 'content-type': 'application/json', origin: 'http://example.test' } })
    expect(fromBrowser.status).toBe(413)
    expect(fromBrowser.headers.get('access-control-allow-origin')).toBe('http://example.test')
    expect(await fromBrowser.json()).toMatchObject({ error: 'Payload Too Large' })
  })

  it('answers CORS preflight permissively in dev', async () => {
    const r = await call('/echo/1', { method: 'OPTIONS', headers: { origin: 'http://example.test', 'access-control-request-method': 'POST' } })
    expect(r.status).toBe(204)
    expect(r.headers.get('access-control-allow-origin')).toBe('http://example.test')
  })
})

describe('middleware', () => {
  it('short-circuits by returning a response', async () => {
    const r = await call('/guarded')
    expect(r.status).toBe(401)
    expect(r.headers.get('x-timed')).toBeNull()
  })

  it('runs in order around the handler on one shared req object', async () => {
    const r = await call('/guarded', { headers: { authorization: 'Bearer good' } })
    expect(r.status).toBe(200)
    expect(r.headers.get('x-timed')).toBe('1')
    expect(await r.json()).toEqual({ user: 'ada', seen: ['auth', 'timing'] })
  })
})
