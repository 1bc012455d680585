import { describe, expect, it } from 'vitest'
import { PythonBridgeConfigError } from './errors'
import { MemoryReplayGuard } from './replay-guard'
import { claimsPart, decodeClaims, issueToken, signCallback, TOKEN_GRACE_MS, tokenFromClaims } from './token'

// Computed by the Python runner (python-bridge/stepflare_runner/callbacks.py and tests/helpers.py):
// both sides must produce these exact strings.
const VECTOR = {
  secret: 'vector-secret-0123456789',
  token:
    'eyJ2IjoxLCJpbnYiOiJpbnYtMSIsInN0ZXAiOiJTY29yZU9yZGVyIiwidHJhY2UiOiJBQkNERS0xMjM0NTY3IiwiZXhwIjoxNzAwMDAwMDMxMDAwfQ.399bK16vE3va91v99UneocXPzcgdPmKZncakyu76rjI',
  body: '{"invocationId":"inv-1","seq":1,"op":"state.get","args":["g","k"],"step":"ScoreOrder","traceId":"ABCDE-1234567"}',
  signature: 'v1=4ee2f690b3de18ac277e33c6e8910afae8fda9a2ad68050fdbdb9e7a763300d2',
}

describe('tokens', () => {
  it('matches the Python implementation byte for byte', async () => {
    const { token, claims } = await issueToken(VECTOR.secret, {
      invocationId: 'inv-1',
      step: 'ScoreOrder',
      traceId: 'ABCDE-1234567',
      timeoutMs: 1000,
      now: 1_700_000_000_000,
    })
    expect(token).toBe(VECTOR.token)
    expect(claims).toEqual({ v: 1, inv: 'inv-1', step: 'ScoreOrder', trace: 'ABCDE-1234567', exp: 1_700_000_000_000 + 1000 + TOKEN_GRACE_MS })
    expect(await signCallback(token, VECTOR.body)).toBe(VECTOR.signature)
  })

  it('rebuilds the token from its claims part and the secret only', async () => {
    const { token } = await issueToken(VECTOR.secret, { invocationId: 'i', step: 's', traceId: 't', timeoutMs: 5 })
    expect(await tokenFromClaims(VECTOR.secret, claimsPart(token))).toBe(token)
    expect(await tokenFromClaims('another-secret-0123456789', claimsPart(token))).not.toBe(token)
  })

  it('decodes claims and rejects anything else', () => {
    expect(decodeClaims(claimsPart(VECTOR.token))?.step).toBe('ScoreOrder')
    expect(decodeClaims('not base64!')).toBeUndefined()
    expect(decodeClaims(btoa(JSON.stringify({ v: 2, inv: 'x' })))).toBeUndefined()
  })

  it('refuses a short secret with an error that says what is expected', async () => {
    await expect(issueToken('short', { invocationId: 'i', step: 's', traceId: 't', timeoutMs: 5 })).rejects.toThrow(PythonBridgeConfigError)
    await expect(issueToken('short', { invocationId: 'i', step: 's', traceId: 't', timeoutMs: 5 })).rejects.toThrow(
      /at least 16 characters, found 5 characters/,
    )
  })
})

describe('MemoryReplayGuard', () => {
  it('lets each (invocation, seq) through once and forgets expired invocations', async () => {
    let now = 1000
    const guard = new MemoryReplayGuard(() => now)
    expect(await guard.claim('a', 1, 5000)).toBe('claimed')
    expect(await guard.claim('a', 2, 5000)).toBe('claimed')
    expect(await guard.claim('a', 1, 5000)).toBe('replayed')
    expect(await guard.claim('b', 1, 5000)).toBe('claimed')
    guard.end('b', 5000)
    expect(await guard.claim('b', 2, 5000)).toBe('ended')
    now = 20_000
    guard.sweep()
    expect(guard.size).toBe(0)
  })
})
