/**
 * Serves the runner's callbacks: verifies them, then runs the operation against the Worker's
 * live state and streams. `200 {ok: true, result}`; refusals 400/401/403/409; bad arguments 400;
 * an unknown stream 404; an operation that throws 500 — each `{ok: false, error: {name, code, message}}`.
 * @module
 */
import type { MotiaStream, StateManager, StreamChannel, UpdateOp } from '../../sdk/context-types'
import { serializeError } from '../../sdk/errors'
import { CallbackArgumentError, UnknownStreamError } from './errors'
import type { CallbackBody, CallbackOp } from './protocol'
import type { ReplayGuard } from './replay-guard'
import type { TokenClaims } from './token'
import { refusalResponse, verifyCallback } from './verify-callback'

export type StreamLookup = Partial<Record<string, MotiaStream>> | ((name: string) => MotiaStream | undefined)

export interface CallbackTarget {
  state: StateManager
  streams?: StreamLookup
}

export interface CallbackHandlerOptions extends CallbackTarget {
  secret: string
  replayGuard: ReplayGuard
  now?: () => number
  expect?: { step?: string; traceId?: string; invocationId?: string }
  /** Called for each verified operation before it runs (audit, metrics). */
  onOp?: (claims: TokenClaims, body: CallbackBody) => void
}

function str(op: string, args: unknown[], i: number, what: string): string {
  const v = args[i]
  if (typeof v !== 'string' || v === '') throw new CallbackArgumentError(`${op}: args[${i}] (${what}): expected a non-empty string, found ${JSON.stringify(v)}`)
  return v
}

function stream(streams: StreamLookup | undefined, op: string, args: unknown[]): MotiaStream {
  const name = str(op, args, 0, 'stream name')
  const found = typeof streams === 'function' ? streams(name) : streams?.[name]
  if (!found) throw new UnknownStreamError(`${op}: no stream named ${JSON.stringify(name)} in this Worker`)
  return found
}

export async function executeOp(op: CallbackOp, args: unknown[], { state, streams }: CallbackTarget): Promise<unknown> {
  const s = (i: number, what: string) => str(op, args, i, what)
  switch (op) {
    case 'state.get':
      return state.get(s(0, 'group'), s(1, 'key'))
    case 'state.set':
      return state.set(s(0, 'group'), s(1, 'key'), args[2])
    case 'state.delete':
      return state.delete(s(0, 'group'), s(1, 'key'))
    case 'state.getGroup':
      return state.getGroup(s(0, 'group'))
    case 'state.list':
      return state.list(s(0, 'group'))
    case 'state.clear':
      return state.clear(s(0, 'group'))
    case 'state.listGroups':
      return state.listGroups()
    case 'state.update': {
      if (!Array.isArray(args[2]))
        throw new CallbackArgumentError(`${op}: args[2] (ops): expected an array of update operations, found ${JSON.stringify(args[2])}`)
      return state.update(s(0, 'group'), s(1, 'key'), args[2] as UpdateOp[])
    }
    case 'streams.get':
      return stream(streams, op, args).get(s(1, 'groupId'), s(2, 'id'))
    case 'streams.set':
      return stream(streams, op, args).set(s(1, 'groupId'), s(2, 'id'), args[3])
    case 'streams.delete':
      return stream(streams, op, args).delete(s(1, 'groupId'), s(2, 'id'))
    case 'streams.getGroup':
      return stream(streams, op, args).getGroup(s(1, 'groupId'))
    case 'streams.send': {
      const channel = args[1] as StreamChannel
      const event = args[2] as { type: string; data: unknown }
      if (typeof channel?.groupId !== 'string')
        throw new CallbackArgumentError(`${op}: args[1] (channel): expected {groupId, id?}, found ${JSON.stringify(channel)}`)
      if (typeof event?.type !== 'string') throw new CallbackArgumentError(`${op}: args[2] (event): expected {type, data}, found ${JSON.stringify(event)}`)
      return stream(streams, op, args).send(channel, event)
    }
  }
}

export async function handleCallback(request: Request, options: CallbackHandlerOptions): Promise<Response> {
  if (request.method !== 'POST') return Response.json({ ok: false, error: { name: 'MethodNotAllowed', message: 'use POST' } }, { status: 405 })
  const verified = await verifyCallback(request, { secret: options.secret, replayGuard: options.replayGuard, now: options.now?.(), expect: options.expect })
  if (!verified.ok) return refusalResponse(verified.refusal)
  const { claims, body } = verified
  options.onOp?.(claims, body)
  try {
    const result = await executeOp(body.op, body.args, options)
    return Response.json({ ok: true, result: result ?? null })
  } catch (err) {
    const status = err instanceof CallbackArgumentError ? 400 : err instanceof UnknownStreamError ? 404 : 500
    const { name, message, code } = serializeError(err)
    return Response.json({ ok: false, error: { name, message, ...(code ? { code } : {}) } }, { status })
  }
}
