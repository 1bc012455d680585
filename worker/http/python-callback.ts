/**
 * `POST /__stepflare/python/callback`: the Python runner's state and stream calls. Not behind the
 * system token — each call is signed for one invocation (step, trace, expiry) and claimed once in
 * the trace's object, so a forged, mismatched, expired or replayed call is refused.
 * @module
 */
import type { Context } from 'hono'
import { stateChangeSink, streamChangeSink } from '../change-triggers'
import { type StepflareEnv, traceStub } from '../env'
import { handleCallback } from '../python/callback-handler'
import { decodeClaims } from '../python/token'
import type { Runtime } from '../runtime'
import { createStateManager } from '../state-client'
import { createStreams } from '../streams/stream-client'
import { jsonError } from './response'

export async function pythonCallback(c: Context<{ Bindings: StepflareEnv }>, rt: Runtime): Promise<Response> {
  const secret = c.env.STEPFLARE_PYTHON_SECRET
  if (typeof secret !== 'string' || secret.length < 16) return jsonError(404, { error: 'Not Found' })
  const header = c.req.header('x-stepflare-claims')
  const traceId = header ? decodeClaims(header)?.trace : undefined
  return handleCallback(c.req.raw, {
    secret,
    // Claims are kept by the trace's object, which every isolate reaches.
    replayGuard: { claim: (inv, seq, exp) => (traceId ? traceStub(c.env, traceId).claimCallback(inv, seq, exp) : Promise.resolve('replayed' as const)) },
    // A change the Python handler makes fires state and stream triggers in its trace.
    state: createStateManager(c.env, undefined, traceId ? stateChangeSink(c.env, rt, { traceId, flows: [] }) : undefined),
    streams: createStreams(c.env, rt.streams, () => {}, traceId ? streamChangeSink(c.env, rt, { traceId, flows: [] }) : undefined),
  })
}
