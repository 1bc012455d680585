import { describe, expect, it } from 'vitest'
import { PythonProtocolError, PythonRunnerUnavailableError } from './errors'
import { httpTransport, invokePython, type PythonTransport } from './invoke'
import type { InvokeRequest } from './protocol'

const request: InvokeRequest = {
  invocationId: 'inv-1',
  step: 'ScoreOrder',
  file: 'steps/score_order_step.py',
  kind: 'event',
  input: { id: 'o1' },
  traceId: 'ABCDE-1',
  flows: [],
  callbackUrl: 'http://worker/cb',
  token: 'c.m',
  timeoutMs: 1000,
}

const answer = (status: number, body: unknown): PythonTransport => ({
  fetch: async () => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status }),
})

describe('invokePython', () => {
  it('posts the request to /invoke and returns the outcome with defaults filled in', async () => {
    let seen: Request | undefined
    let sent: unknown
    const transport: PythonTransport = {
      fetch: async (req) => {
        seen = req
        sent = await req.json()
        return Response.json({ ok: true, result: null, emits: [{ topic: 't', data: 1 }] })
      },
    }
    const out = await invokePython(transport, request)
    expect(seen?.method).toBe('POST')
    expect(new URL(seen!.url).pathname).toBe('/invoke')
    expect(sent).toEqual(request)
    expect(out).toEqual({ ok: true, result: null, emits: [{ topic: 't', data: 1 }], logs: [], stateOps: [] })
  })

  it('returns a handler failure as an outcome, not an exception', async () => {
    const out = await invokePython(answer(200, { ok: false, error: { name: 'ValueError', message: 'bad', stack: 'Traceback…' }, logs: [] }), request)
    expect(out.ok).toBe(false)
  })

  it('names what went wrong with the runner', async () => {
    await expect(invokePython(answer(400, { ok: false, error: { message: 'timeoutMs: expected …' } }), request)).rejects.toThrow(PythonProtocolError)
    await expect(invokePython(answer(503, 'container starting'), request)).rejects.toThrow(/HTTP 503 with a body that is not JSON: container starting/)
    await expect(invokePython(answer(500, { ok: false, error: { message: 'x' } }), request)).rejects.toThrow(PythonRunnerUnavailableError)
    await expect(invokePython(answer(200, { nope: 1 }), request)).rejects.toThrow(/expected \{ok: boolean/)
    const down: PythonTransport = { fetch: async () => Promise.reject(new TypeError('fetch failed: ECONNREFUSED')) }
    const err = await invokePython(down, request).catch((e) => e)
    expect(err).toBeInstanceOf(PythonRunnerUnavailableError)
    expect(err.message).toBe('the Python runner could not be reached: fetch failed: ECONNREFUSED (step ScoreOrder, steps/score_order_step.py)')
    expect(err.cause).toBeInstanceOf(TypeError)
  })

  it('gives up after the timeout plus the grace period', async () => {
    const hang: PythonTransport = { fetch: () => new Promise(() => {}) }
    const started = Date.now()
    await expect(invokePython(hang, { ...request, timeoutMs: 50 }, { graceMs: 50 })).rejects.toThrow(
      'the Python runner did not answer within 100 ms (step ScoreOrder, steps/score_order_step.py)',
    )
    expect(Date.now() - started).toBeLessThan(2000)
  })
})

describe('httpTransport', () => {
  it('sends the request to the given base URL', async () => {
    const urls: string[] = []
    const t = httpTransport('http://127.0.0.1:8830/', async (input) => {
      urls.push((input as Request).url)
      return new Response('{}')
    })
    await t.fetch(new Request('http://stepflare-python.internal/invoke?x=1', { method: 'POST', body: '{}' }))
    expect(urls).toEqual(['http://127.0.0.1:8830/invoke?x=1'])
  })
})
