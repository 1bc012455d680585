/**
 * How the generated Worker reaches its Python runner, decided per request from env: for a step
 * whose runtime is `workers`, the generated Python Worker bound as `STEPFLARE_PYTHON_WORKER` (RPC);
 * else a service binding `STEPFLARE_PYTHON_RUNNER` (tests), else
 * `STEPFLARE_PYTHON_URL` (the local runner `stepflare dev` starts), else the `STEPFLARE_PYTHON`
 * container namespace (production; pool size `STEPFLARE_PYTHON_POOL`, default 2). Callbacks
 * come back to `STEPFLARE_PYTHON_CALLBACK_URL`, signed with `STEPFLARE_PYTHON_SECRET`.
 * @module
 */
import type { FlowContext } from '../../sdk/context-types'
import { type StepflareEnv, traceStub } from '../env'
import { containerTransport, type StepflarePython } from './container'
import { PythonBridgeConfigError } from './errors'
import { httpTransport, type PythonTransport } from './invoke'
import type { PythonBridge } from './python-step'
import { isPythonWorker, workersPythonTransport } from './workers-python'

export const RECORDER = Symbol.for('stepflare.recorder')

export const CALLBACK_PATH = '/__stepflare/python/callback'

export function workerPythonBridge(streams: string[]): PythonBridge {
  let cached: { url: string; transport: PythonTransport } | undefined
  return {
    streams,
    connect(env, runtime) {
      const secret = env.STEPFLARE_PYTHON_SECRET
      if (typeof secret !== 'string' || secret.length < 16) {
        throw new PythonBridgeConfigError(
          'STEPFLARE_PYTHON_SECRET is not set (at least 16 characters): `stepflare dev` sets it; in production run `wrangler secret put STEPFLARE_PYTHON_SECRET`',
        )
      }
      const callbackUrl = env.STEPFLARE_PYTHON_CALLBACK_URL
      if (typeof callbackUrl !== 'string')
        throw new PythonBridgeConfigError('STEPFLARE_PYTHON_CALLBACK_URL is not set: the Python runner has nowhere to send its state and stream calls')
      const pythonWorker = env.STEPFLARE_PYTHON_WORKER
      if (runtime === 'workers' && isPythonWorker(pythonWorker)) return { transport: workersPythonTransport(pythonWorker), secret, callbackUrl }
      const binding = env.STEPFLARE_PYTHON_RUNNER as Fetcher | undefined
      if (binding && typeof binding.fetch === 'function') return { transport: binding, secret, callbackUrl }
      const url = env.STEPFLARE_PYTHON_URL
      if (runtime === 'workers' && typeof url !== 'string')
        throw new PythonBridgeConfigError(
          'this Python step runs on the Workers Python target, but STEPFLARE_PYTHON_WORKER is not bound: deploy with `stepflare deploy`, which deploys the Python Worker and binds it',
        )
      if (typeof url !== 'string') {
        const ns = env.STEPFLARE_PYTHON as DurableObjectNamespace<StepflarePython> | undefined
        if (!ns)
          throw new PythonBridgeConfigError(
            'no Python runner: bind the STEPFLARE_PYTHON container or the STEPFLARE_PYTHON_RUNNER service, or set STEPFLARE_PYTHON_URL',
          )
        return { transport: containerTransport(ns, Number(env.STEPFLARE_PYTHON_POOL ?? 2) || 2), secret, callbackUrl }
      }
      if (cached?.url !== url) cached = { url, transport: httpTransport(url) }
      return { transport: cached.transport, secret, callbackUrl }
    },
    async onInvocationEnd(ctx: FlowContext, invocationId, expiresAt) {
      await traceStub(ctx.env as StepflareEnv, ctx.traceId).endInvocation(invocationId, expiresAt)
    },
    onStateOps(ctx: FlowContext, ops) {
      const recorder = (ctx as unknown as Record<symbol, { stateOp(op: unknown): void } | undefined>)[RECORDER]
      for (const op of ops) recorder?.stateOp(op)
    },
  }
}
