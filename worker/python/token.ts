/**
 * Per-invocation tokens and callback signatures.
 *
 * token   = `<claims>.<mac>`; claims = base64url(JSON {v, inv, step, trace, exp});
 *           mac = base64url(HMAC-SHA256(secret, "stepflare.token.v1." + claims))
 * key     = HMAC-SHA256(key: UTF-8 token, data: "stepflare.callback.v1")
 * request = header x-stepflare-claims: <claims>, x-stepflare-signature: "v1=" + hex(HMAC-SHA256(key, raw body))
 * invoke  = the Worker's `POST /invoke` to the runner: x-stepflare-signature: "v1=" +
 *           hex(HMAC-SHA256(HMAC-SHA256(secret, "stepflare.invoke.v1"), raw body)); the runner also
 *           holds the secret, checks the token in the body and refuses a replayed invocation id
 *
 * The runner gets the whole token with /invoke; a callback carries only the claims, so the Worker
 * rebuilds the token (and the key) from the claims and its secret.
 * @module
 */
import { base64url, fromBase64url, toHex } from '../encoding'
import { PythonBridgeConfigError } from './errors'

export const TOKEN_LABEL = 'stepflare.token.v1.'
export const KEY_LABEL = 'stepflare.callback.v1'
export const INVOKE_LABEL = 'stepflare.invoke.v1'
/** A token outlives its invocation's timeout by this much, for callbacks still in flight. */
export const TOKEN_GRACE_MS = 30_000
export const MIN_SECRET_LENGTH = 16

export interface TokenClaims {
  v: 1
  inv: string
  step: string
  trace: string
  /** Expiry, ms since the epoch. */
  exp: number
}

export interface TokenInput {
  invocationId: string
  step: string
  traceId: string
  timeoutMs: number
  now?: number
}

const enc = new TextEncoder()
const secretKeys = new Map<string, Promise<CryptoKey>>()

function hmacKey(raw: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify'])
}

function secretKey(secret: string): Promise<CryptoKey> {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
    throw new PythonBridgeConfigError(
      `python bridge secret: expected a string of at least ${MIN_SECRET_LENGTH} characters, found ${typeof secret === 'string' ? `${secret.length} characters` : typeof secret}`,
    )
  }
  let key = secretKeys.get(secret)
  if (!key) {
    if (secretKeys.size > 8) secretKeys.clear()
    key = hmacKey(enc.encode(secret))
    secretKeys.set(secret, key)
  }
  return key
}

async function hmac(key: CryptoKey, data: string | Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, typeof data === 'string' ? enc.encode(data) : data))
}

/** Rebuilds the full token from its claims part: only the holder of the secret can. */
export async function tokenFromClaims(secret: string, claimsPart: string): Promise<string> {
  return `${claimsPart}.${base64url(await hmac(await secretKey(secret), TOKEN_LABEL + claimsPart))}`
}

export async function issueToken(secret: string, input: TokenInput): Promise<{ token: string; claims: TokenClaims }> {
  const claims: TokenClaims = {
    v: 1,
    inv: input.invocationId,
    step: input.step,
    trace: input.traceId,
    exp: (input.now ?? Date.now()) + input.timeoutMs + TOKEN_GRACE_MS,
  }
  const token = await tokenFromClaims(secret, base64url(enc.encode(JSON.stringify(claims))))
  return { token, claims }
}

/** Returns undefined when the claims part is not a well-formed v1 claims object. */
export function decodeClaims(claimsPart: string): TokenClaims | undefined {
  try {
    const c = JSON.parse(new TextDecoder().decode(fromBase64url(claimsPart))) as Partial<TokenClaims>
    const ok = c.v === 1 && typeof c.inv === 'string' && typeof c.step === 'string' && typeof c.trace === 'string' && Number.isFinite(c.exp)
    return ok ? (c as TokenClaims) : undefined
  } catch {
    return undefined
  }
}

export async function callbackKey(token: string): Promise<CryptoKey> {
  return hmacKey(await hmac(await hmacKey(enc.encode(token)), KEY_LABEL))
}

/** The `x-stepflare-signature` value for a callback body (what the runner computes). */
export async function signCallback(token: string, rawBody: string | Uint8Array): Promise<string> {
  return `v1=${toHex(await hmac(await callbackKey(token), rawBody))}`
}

const invokeKeys = new Map<string, Promise<CryptoKey>>()

/** The `x-stepflare-signature` of a `POST /invoke` body (python-bridge/stepflare_runner/auth.py checks it). */
export async function signInvoke(secret: string, rawBody: string): Promise<string> {
  let key = invokeKeys.get(secret)
  if (!key) {
    if (invokeKeys.size > 8) invokeKeys.clear()
    key = secretKey(secret).then(async (k) => hmacKey(await hmac(k, INVOKE_LABEL)))
    invokeKeys.set(secret, key)
  }
  return `v1=${toHex(await hmac(await key, rawBody))}`
}

export function claimsPart(token: string): string {
  return token.slice(0, token.indexOf('.'))
}
