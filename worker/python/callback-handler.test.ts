import { describe, expect, it } from 'vitest'
import type { MotiaStream } from '../../sdk/context-types'
import { handleCallback } from './callback-handler'
import { MemoryStateManager } from './memory-state'
import { CLAIMS_HEADER, SIGNATURE_HEADER } from './protocol'
import { MemoryReplayGuard } from './replay-guard'
import { claimsPart, issueToken, signCallback } from './token'
import { verifyCallback } from './verify-callback'

const secret = 'callback-test-secret-0123'
const URL_ = 'http://worker.test/__stepflare/python/callback'

async function setup(overrides: { step?: string; traceId?: string; invocationId?: string; timeoutMs?: number; now?: number } = {}) {
  const { token, claims } = await issueToken(secret, {
    invocationId: overrides.invocationId ?? 'inv-1',
    step: overrides.step ?? 'ScoreOrder',
    traceId: overrides.traceId ?? 'ABCDE-1',
    timeoutMs: overrides.timeoutMs ?? 10_000,
    now: overrides.now,
  })
  let seq = 0
  const request = async (op: string, args: unknown[], body: Record<string, unknown> = {}, sigToken = token) => {
    const raw = JSON.stringify({ invocationId: claims.inv, seq: ++seq, op, args, step: claims.step, traceId: claims.trace, ...body })
    return new Request(URL_, {
      method: 'POST',
      body: raw,
      headers: { [CLAIMS_HEADER]: claimsPart(token), [SIGNATURE_HEADER]: await signCallback(sigToken, raw) },
    })
  }
  return { token, claims, request }
}

function streamStub(calls: unknown[][]): MotiaStream {
  const items = new Map<string, unknown>()
  return {
    get: async (g, id) => (items.get(`${g}/${id}`) ?? null) as never,
    set: async (g, id, data) => {
      const item = { ...(data as object), id }
      items.set(`${g}/${id}`, item)
      return item as never
    },
    delete: async () => null,
    getGroup: async () => [...items.values()] as never,
    send: async (channel, event) => {
      calls.push([channel, event])
    },
    update: async () => null,
  }
}

describe('handleCallback', () => {
  it('runs state and stream operations against the live managers', async () => {
    const state = new MemoryStateManager()
    const sent: unknown[][] = []
    const opts = { secret, replayGuard: new MemoryReplayGuard(), state, streams: { todo: streamStub(sent) } }
    const { request } = await setup()
    const call = async (op: string, args: unknown[]) => {
      const res = await handleCallback(await request(op, args), opts)
      return { status: res.status, body: (await res.json()) as { ok: boolean; result?: unknown; error?: { code?: string; message: string } } }
    }
    expect(await call('state.set', ['ABCDE-1', 'score', { v: 1 }])).toEqual({ status: 200, body: { ok: true, result: { v: 1 } } })
    expect((await call('state.get', ['ABCDE-1', 'score'])).body.result).toEqual({ v: 1 })
    expect((await call('state.get', ['ABCDE-1', 'missing'])).body).toEqual({ ok: true, result: null })
    expect((await call('state.update', ['c', 'n', [{ type: 'increment', by: 2 }]])).body.result).toEqual({ old_value: null, new_value: 2 })
    expect((await call('state.getGroup', ['ABCDE-1'])).body.result).toEqual([{ v: 1 }])
    expect((await call('state.listGroups', [])).body.result).toEqual(['ABCDE-1', 'c'])
    expect((await call('state.delete', ['c', 'n'])).body.result).toBe(2)
    expect((await call('state.clear', ['ABCDE-1'])).body).toEqual({ ok: true, result: null })
    expect((await call('streams.set', ['todo', 'g', 'i1', { title: 't' }])).body.result).toEqual({ title: 't', id: 'i1' })
    expect((await call('streams.send', ['todo', { groupId: 'g' }, { type: 'ping', data: 1 }])).status).toBe(200)
    expect(sent).toEqual([[{ groupId: 'g' }, { type: 'ping', data: 1 }]])

    const badArgs = await call('state.set', ['', 'k', 1])
    expect(badArgs.status).toBe(400)
    expect(badArgs.body.error?.message).toBe('state.set: args[0] (group): expected a non-empty string, found ""')
    expect((await call('streams.get', ['nope', 'g', 'i'])).status).toBe(404)
    const failing = await call('state.update', ['c', 'n', [{ type: 'set', value: 'x' }, { type: 'increment' }]])
    expect(failing.status).toBe(500)
    expect(failing.body.error?.message).toMatch(/expected a number/)
  })

  it('refuses a forged signature, a foreign token, an expired token and a replay', async () => {
    const state = new MemoryStateManager()
    const replayGuard = new MemoryReplayGuard()
    const opts = { secret, replayGuard, state }
    const refused = async (req: Request, o: Parameters<typeof handleCallback>[1] = opts) => {
      const res = await handleCallback(req, o)
      const body = (await res.json()) as { ok: boolean; error: { name: string; code: string } }
      expect(body.ok).toBe(false)
      expect(body.error.name).toBe('CallbackRefusedError')
      return [res.status, body.error.code]
    }

    const a = await setup()
    // signed with a key derived from another token (as an attacker without the secret would)
    const other = await issueToken('attacker-secret-0123456789', { invocationId: 'inv-1', step: 'ScoreOrder', traceId: 'ABCDE-1', timeoutMs: 10_000 })
    expect(await refused(await a.request('state.set', ['g', 'k', 1], {}, other.token))).toEqual([401, 'BAD_SIGNATURE'])
    // a body altered after signing
    const good = await a.request('state.set', ['g', 'k', 1])
    const tampered = new Request(URL_, { method: 'POST', headers: good.headers, body: (await good.clone().text()).replace('"k"', '"other"') })
    expect(await refused(tampered)).toEqual([401, 'BAD_SIGNATURE'])
    // a token for another step (the body says so, or the route expects another)
    expect(await refused(await a.request('state.set', ['g', 'k', 1], { step: 'Other' }))).toEqual([403, 'TOKEN_MISMATCH'])
    expect(await refused(await a.request('state.set', ['g', 'k', 1]), { ...opts, expect: { traceId: 'ZZZZZ-9' } })).toEqual([403, 'TOKEN_MISMATCH'])
    expect(await refused(await a.request('state.set', ['g', 'k', 1], { traceId: 'ZZZZZ-9' }))).toEqual([403, 'TOKEN_MISMATCH'])
    // expired
    const old = await setup({ invocationId: 'inv-old', timeoutMs: 1000, now: Date.now() - 60_000 })
    expect(await refused(await old.request('state.get', ['g', 'k']))).toEqual([401, 'TOKEN_EXPIRED'])
    // a replay of an accepted request
    const first = await a.request('state.set', ['g', 'k', 1])
    const replay = first.clone()
    expect((await handleCallback(first, opts)).status).toBe(200)
    expect(await refused(replay)).toEqual([409, 'REPLAYED'])
    // no credentials at all
    expect(await refused(new Request(URL_, { method: 'POST', body: '{}' }))).toEqual([401, 'UNAUTHENTICATED'])
    expect(await state.get('g', 'k')).toBe(1)
  })

  it('verifyCallback returns the claims and the body', async () => {
    const { request } = await setup({ step: 'S', traceId: 'T-1', invocationId: 'inv-9' })
    const v = await verifyCallback(await request('state.get', ['g', 'k']), { secret, replayGuard: new MemoryReplayGuard() })
    expect(v.ok && v.claims.step).toBe('S')
    expect(v.ok && v.body.op).toBe('state.get')
    const bad = await verifyCallback(await request('state.nope', []), { secret, replayGuard: new MemoryReplayGuard() })
    expect(!bad.ok && bad.refusal).toMatchObject({ status: 400, code: 'MALFORMED' })
  })
})
