/**
 * Makes a Python step look like any other step to the runtime: {@link pythonStepModule} returns
 * `{config, handler}` where the handler invokes the runner, replays the Python logs into
 * `ctx.logger`, re-emits the buffered events through `ctx.emit` (so the `emits` whitelist and
 * FIFO checks apply and nothing is emitted when the handler failed), and throws the Python error.
 * @module
 */
import type { StateOpRecord } from '../../objects/trace/records'
import type { FlowContext } from '../../sdk/context-types'
import { HandlerTimeoutError } from '../../sdk/errors'
import type { AnyHandler } from '../runtime'
import { PythonBridgeConfigError, PythonStepError } from './errors'
import { invokePython, type PythonTransport } from './invoke'
import type { PythonStepKind } from './protocol'
import { issueToken } from './token'

/** Used when a step sets no `infrastructure.handler.timeout`: the token needs an expiry. */
export const DEFAULT_PYTHON_TIMEOUT_MS = 300_000

export interface PythonStepRef {
  name: string
  file: string
  module?: string
  kind: PythonStepKind
  timeoutMs?: number
  /** Where it runs in production: a Container (default) or the Workers Python target. */
  runtime?: 'container' | 'workers'
}

export interface PythonConnection {
  transport: PythonTransport
  /** The Worker secret tokens are signed with (at least 16 characters). */
  secret: string
  /** Where the runner sends state/stream callbacks: the route that calls `handleCallback`. */
  callbackUrl: string
}

export interface PythonBridge {
  /** Resolved per call from the Worker's env (bindings, vars, secrets) and the step's runtime. */
  connect(env: Record<string, unknown>, runtime?: 'container' | 'workers'): PythonConnection
  /** The project's stream names, offered as `context.streams.<name>`. */
  streams?: string[]
  defaultTimeoutMs?: number
  /** Receives the state operations the Python handler did (for the run record). */
  onStateOps?: (ctx: FlowContext, ops: StateOpRecord[]) => void
  /** The Worker has the invocation's answer (or gave up on it): its callbacks must be refused from now on. */
  onInvocationEnd?: (ctx: FlowContext, invocationId: string, expiresAt: number) => Promise<void>
}

export interface PythonConfigEntry {
  file: string
  module?: string
  config: Record<string, unknown>
  runtime?: 'container' | 'workers'
}

function isContext(v: unknown): v is FlowContext {
  return typeof v === 'object' && v !== null && typeof (v as FlowContext).emit === 'function' && typeof (v as FlowContext).traceId === 'string'
}

export function createPythonHandler(step: PythonStepRef, bridge: PythonBridge): AnyHandler {
  return async (first: unknown, second?: unknown) => {
    // Classic cron handlers are called with the context only.
    const [input, ctx] = step.kind === 'cron' && isContext(first) ? [null, first] : [first, second as FlowContext]
    if (!isContext(ctx)) throw new PythonBridgeConfigError(`python step ${step.name}: the handler was called without a context`)
    const { transport, secret, callbackUrl } = bridge.connect(ctx.env as Record<string, unknown>, step.runtime)
    const invocationId = crypto.randomUUID()
    const timeoutMs = step.timeoutMs ?? bridge.defaultTimeoutMs ?? DEFAULT_PYTHON_TIMEOUT_MS
    const { token, claims } = await issueToken(secret, { invocationId, step: step.name, traceId: ctx.traceId, timeoutMs })
    const invoked = invokePython(
      transport,
      {
        invocationId,
        step: step.name,
        file: step.file,
        ...(step.module ? { module: step.module } : {}),
        kind: step.kind,
        input: input ?? null,
        traceId: ctx.traceId,
        flows: ctx.flows ?? [],
        callbackUrl,
        token,
        timeoutMs,
        ...(bridge.streams ? { streams: bridge.streams } : {}),
      },
      { secret },
    )
    // Best effort: if the end cannot be recorded, the key still dies when its token expires.
    const end = () =>
      bridge
        .onInvocationEnd?.(ctx, invocationId, claims.exp)
        .catch((err) => ctx.logger.warn('could not close the invocation to callbacks', { error: String(err) }))
    const res = await invoked.finally(end)
    for (const record of res.logs) ctx.logger.log(record)
    if (res.stateOps.length) bridge.onStateOps?.(ctx, res.stateOps)
    if (!res.ok) {
      if (res.error.code === 'HANDLER_TIMEOUT') throw new HandlerTimeoutError(res.error.message)
      throw new PythonStepError(step.name, res.error)
    }
    for (const e of res.emits) await ctx.emit(e)
    return res.result ?? undefined
  }
}

const KINDS: Record<string, PythonStepKind> = { api: 'api', event: 'event', cron: 'cron' }

/** `{config, handler}` for the runtime's step list, from one entry of `readPythonConfigs`. */
export function pythonStepModule(entry: PythonConfigEntry, bridge: PythonBridge): { config: Record<string, unknown>; handler?: AnyHandler } {
  const { config } = entry
  if (config.type === 'noop') return { config }
  const kind = KINDS[String(config.type)]
  if (!kind) {
    throw new PythonBridgeConfigError(
      `${entry.file} config.type: expected "api", "event", "cron" or "noop" for a Python step, found ${JSON.stringify(config.type)}`,
    )
  }
  const timeout = (config.infrastructure as { handler?: { timeout?: unknown } } | undefined)?.handler?.timeout
  const ref: PythonStepRef = {
    name: String(config.name),
    file: entry.file,
    module: entry.module,
    kind,
    ...(typeof timeout === 'number' && timeout > 0 ? { timeoutMs: timeout * 1000 } : {}),
    ...(entry.runtime ? { runtime: entry.runtime } : {}),
  }
  return { config, handler: createPythonHandler(ref, bridge) }
}
