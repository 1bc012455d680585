/**
 * Checks a callback from the runner, in this order: credentials present, claims readable,
 * signature (constant-time, key rebuilt from the claims and the secret), expiry, body shape,
 * binding (the body's invocation, step and trace are the token's), replay and the invocation's end. The first failure
 * is the refusal.
 * @module
 */
import { fromHex } from '../encoding'
import { type CallbackBody, CLAIMS_HEADER, isCallbackOp, SIGNATURE_HEADER } from './protocol'
import type { ReplayGuard } from './replay-guard'
import { callbackKey, decodeClaims, type TokenClaims, tokenFromClaims } from './token'

export type RefusalCode = 'UNAUTHENTICATED' | 'BAD_TOKEN' | 'BAD_SIGNATURE' | 'TOKEN_EXPIRED' | 'MALFORMED' | 'TOKEN_MISMATCH' | 'REPLAYED' | 'INVOCATION_ENDED'

export interface CallbackRefusal {
  status: 400 | 401 | 403 | 409 | 410
  code: RefusalCode
  message: string
}

export type VerifiedCallback = { ok: true; claims: TokenClaims; body: CallbackBody } | { ok: false; refusal: CallbackRefusal }

export interface VerifyOptions {
  secret: string
  replayGuard: ReplayGuard
  /** ms since the epoch; defaults to Date.now(). */
  now?: number
  /** Extra binding, e.g. from the callback URL: refuse a token issued for another step or trace. */
  expect?: { step?: string; traceId?: string; invocationId?: string }
}

const enc = new TextEncoder()

function refuse(status: CallbackRefusal['status'], code: RefusalCode, message: string): VerifiedCallback {
  return { ok: false, refusal: { status, code, message } }
}

function parseBody(raw: string): CallbackBody | string {
  let b: Partial<CallbackBody>
  try {
    b = JSON.parse(raw)
  } catch {
    return 'the body is not JSON'
  }
  if (typeof b !== 'object' || b === null) return 'expected a JSON object'
  if (typeof b.invocationId !== 'string') return `invocationId: expected a string, found ${JSON.stringify(b.invocationId)}`
  if (!Number.isSafeInteger(b.seq) || (b.seq as number) < 0) return `seq: expected a non-negative integer, found ${JSON.stringify(b.seq)}`
  if (!isCallbackOp(b.op)) return `op: expected one of state.*/streams.* operations, found ${JSON.stringify(b.op)}`
  if (!Array.isArray(b.args)) return `args: expected an array, found ${JSON.stringify(b.args)}`
  if (typeof b.step !== 'string' || typeof b.traceId !== 'string') return 'step, traceId: expected strings'
  return b as CallbackBody
}

export async function verifyCallback(request: Request, options: VerifyOptions): Promise<VerifiedCallback> {
  const claimsPart = request.headers.get(CLAIMS_HEADER)
  const signature = request.headers.get(SIGNATURE_HEADER)
  if (!claimsPart || !signature) return refuse(401, 'UNAUTHENTICATED', `missing ${CLAIMS_HEADER} or ${SIGNATURE_HEADER} header`)
  const claims = decodeClaims(claimsPart)
  if (!claims) return refuse(401, 'BAD_TOKEN', `${CLAIMS_HEADER}: not a stepflare v1 token`)
  const raw = await request.text()
  const sig = (signature.startsWith('v1=') && fromHex(signature.slice(3))) || new Uint8Array(0)
  const key = await callbackKey(await tokenFromClaims(options.secret, claimsPart))
  if (sig.length !== 32 || !(await crypto.subtle.verify('HMAC', key, sig, enc.encode(raw)))) {
    return refuse(401, 'BAD_SIGNATURE', 'the signature does not match the body under this token')
  }
  if (claims.exp < (options.now ?? Date.now())) return refuse(401, 'TOKEN_EXPIRED', `the token expired at ${new Date(claims.exp).toISOString()}`)
  const body = parseBody(raw)
  if (typeof body === 'string') return refuse(400, 'MALFORMED', `callback body: ${body}`)
  const expect = options.expect ?? {}
  const issued = [claims.inv, claims.step, claims.trace]
  const claimed = [body.invocationId, body.step, body.traceId]
  const wanted = [expect.invocationId ?? body.invocationId, expect.step ?? body.step, expect.traceId ?? body.traceId]
  if (issued.some((v, i) => v !== claimed[i] || v !== wanted[i])) {
    const [inv, step, trace] = claimed.map((v, i) => (v !== issued[i] ? v : wanted[i]))
    return refuse(
      403,
      'TOKEN_MISMATCH',
      `the token was issued for invocation ${claims.inv} of step ${JSON.stringify(claims.step)} in trace ${claims.trace}, not for invocation ${inv} of step ${JSON.stringify(step)} in trace ${trace}`,
    )
  }
  const claim = await options.replayGuard.claim(body.invocationId, body.seq, claims.exp)
  if (claim === 'ended') return refuse(410, 'INVOCATION_ENDED', `invocation ${body.invocationId} has ended: its callbacks are no longer accepted`)
  if (claim === 'replayed') return refuse(409, 'REPLAYED', `callback ${body.seq} of invocation ${body.invocationId} was already received`)
  return { ok: true, claims, body }
}

export function refusalResponse(refusal: CallbackRefusal): Response {
  return Response.json({ ok: false, error: { name: 'CallbackRefusedError', code: refusal.code, message: refusal.message } }, { status: refusal.status })
}
