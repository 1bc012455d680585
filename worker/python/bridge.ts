/**
 * How the generated Worker reaches its Python runner, decided per request from env:
 * a service binding `STEPFLARE_PYTHON_RUNNER` (tests, and a Workers Python or container binding in
 * production), else `STEPFLARE_PYTHON_URL` (the local runner `stepflare dev` starts). Callbacks
 * come back to `STEPFLARE_PYTHON_CALLBACK_URL`, signed with `STEPFLARE_PYTHON_SECRET`.
 * @module
 */
import type { FlowContext } from '../../sdk/context-types'
import { PythonBridgeConfigError } from './errors'
import { httpTransport, type PythonTransport } from './invoke'
import type { PythonBridge } from './python-step'

export const RECORDER = Symbol.for('stepflare.recorder')

export const CALLBACK_PATH = '/__stepflare/python/callback'

export function workerPythonBridge(streams: string[]): PythonBridge {
  let cached: { url: string; transport: PythonTransport } | undefined
  return {
    streams,
    connect(env) {
      const secret = env.STEPFLARE_PYTHON_SECRET
      if (typeof secret !== 'string' || secret.length < 16) {
        throw new PythonBridgeConfigError(
          'STEPFLARE_PYTHON_SECRET is not set (at least 16 characters): `stepflare dev` sets it; in production run `wrangler secret put STEPFLARE_PYTHON_SECRET`',
        )
      }
      const callbackUrl = env.STEPFLARE_PYTHON_CALLBACK_URL
      if (typeof callbackUrl !== 'string')
        throw new PythonBridgeConfigError('STEPFLARE_PYTHON_CALLBACK_URL is not set: the Python runner has nowhere to send its state and stream calls')
      const binding = env.STEPFLARE_PYTHON_RUNNER as Fetcher | undefined
      if (binding && typeof binding.fetch === 'function') return { transport: binding, secret, callbackUrl }
      const url = env.STEPFLARE_PYTHON_URL
      if (typeof url !== 'string')
        throw new PythonBridgeConfigError('no Python runner: set the STEPFLARE_PYTHON_RUNNER service binding or STEPFLARE_PYTHON_URL')
      if (cached?.url !== url) cached = { url, transport: httpTransport(url) }
      return { transport: cached.transport, secret, callbackUrl }
    },
    onStateOps(ctx: FlowContext, ops) {
      const recorder = (ctx as unknown as Record<symbol, { stateOp(op: unknown): void } | undefined>)[RECORDER]
      for (const op of ops) recorder?.stateOp(op)
    },
  }
}
