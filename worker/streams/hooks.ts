/**
 * The context Motia 1.x's `onJoin` / `onLeave` hooks receive: a logger, state and streams.
 * @module
 */
import type { StepflareEnv } from '../env'
import { createLogger } from '../logger'
import { getRuntime } from '../runtime'
import { createStateManager } from '../state-client'
import { createStreams } from './stream-client'

export function joinHookContext(env: StepflareEnv) {
  return {
    logger: createLogger({ source: 'stream-hook' }, () => {}, env.LOG_LEVEL),
    state: createStateManager(env),
    streams: createStreams(env, getRuntime().streams, () => {}),
  }
}
