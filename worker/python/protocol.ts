/**
 * The wire shapes between the Worker and the Python runner (python-bridge/PROTOCOL.md): the
 * `POST /invoke` request and response, and the signed state/stream callbacks.
 * @module
 */
import type { StateOpRecord } from '../../objects/trace/records'

export const PROTOCOL_VERSION = 1

/** Carries the token's claims part; the token's MAC part never travels back. */
export const CLAIMS_HEADER = 'x-stepflare-claims'
/** `v1=<hex HMAC-SHA256 of the raw body>` under the key derived from the token. */
export const SIGNATURE_HEADER = 'x-stepflare-signature'

export type PythonStepKind = 'event' | 'api' | 'cron'

export interface InvokeRequest {
  invocationId: string
  step: string
  /** The step file relative to the project root, forward slashes. */
  file: string
  module?: string
  kind: PythonStepKind
  /** Event data, the API `req` ({ body, pathParams, queryParams, headers, rawBody }), or null for cron. */
  input: unknown
  traceId: string
  flows: string[]
  callbackUrl: string
  token: string
  timeoutMs: number
  /** The project's stream names, for `context.streams.<name>`; omitted: any name is accepted. */
  streams?: string[]
}

export interface PythonEmit {
  topic: string
  data: unknown
  messageGroupId?: string
}

export interface PythonLog {
  level: 'debug' | 'info' | 'warn' | 'error'
  time: number
  msg: string
  [meta: string]: unknown
}

export interface PythonErrorInfo {
  name: string
  message: string
  /** The Python traceback text, starting at the user's code. */
  stack?: string
  code?: string
}

interface InvokeTrail {
  logs: PythonLog[]
  stateOps: StateOpRecord[]
  droppedLogs?: number
  durationMs?: number
}

export type InvokeResponse = ({ ok: true; result: unknown; emits: PythonEmit[] } | { ok: false; error: PythonErrorInfo }) & InvokeTrail

export const CALLBACK_OPS = [
  'state.get',
  'state.set',
  'state.delete',
  'state.getGroup',
  'state.clear',
  'state.update',
  'state.list',
  'state.listGroups',
  'streams.get',
  'streams.set',
  'streams.delete',
  'streams.getGroup',
  'streams.send',
] as const

export type CallbackOp = (typeof CALLBACK_OPS)[number]

export interface CallbackBody {
  invocationId: string
  /** Unique per invocation (1, 2, …; concurrent calls may arrive out of order). */
  seq: number
  op: CallbackOp
  args: unknown[]
  step: string
  traceId: string
}

export function isCallbackOp(op: unknown): op is CallbackOp {
  return typeof op === 'string' && (CALLBACK_OPS as readonly string[]).includes(op)
}
