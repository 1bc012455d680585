/**
 * The runtime inside the Worker. The generated entry calls `createWorker` with every step module
 * and re-exports the Durable Object classes.
 *
 * @example
 * ```ts
 * import { createWorker } from 'stepflare/worker'
 * import * as hello from '../steps/hello.step.ts'
 * export default createWorker({ steps: [{ file: 'steps/hello.step.ts', module: hello }] })
 * export { TraceObject, StateObject, IndexObject, SchedulerObject } from 'stepflare/worker'
 * ```
 * @module
 */
import { handleScheduled, SECONDS_SCHEDULER } from './cron/scheduled'
import type { StepflareEnv } from './env'
import { devHostCheck } from './http/dev-hosts'
import { createRouter } from './http/router'
import { handleQueue } from './queue/consumer'
import { type AppDefinition, Runtime, setRuntime } from './runtime'
import { handleStreamUpgrade, isStreamUpgrade } from './streams/upgrade'

export function createWorker(def: AppDefinition): ExportedHandler<StepflareEnv> {
  const rt = new Runtime(def)
  setRuntime(rt)
  const router = createRouter(rt)
  const hasSecondsCrons = rt.crons.some((b) => b.trigger.seconds)
  let armed = false
  const hostRefusal = devHostCheck(rt.config.dev?.allowedHosts)
  return {
    fetch(request, env, ctx) {
      if (env.STEPFLARE_DEV === '1') {
        const refused = hostRefusal(request)
        if (refused) return refused
      }
      if (hasSecondsCrons && !armed) {
        armed = true
        ctx.waitUntil(
          env.STEPFLARE_SCHEDULER.getByName(SECONDS_SCHEDULER)
            .arm()
            .catch(() => (armed = false)),
        )
      }
      if (isStreamUpgrade(request)) return handleStreamUpgrade(request, env, rt)
      return router.fetch(request, env, ctx)
    },
    queue: (batch, env) => handleQueue(batch, env, rt),
    scheduled: (controller, env, ctx) => handleScheduled(controller, env, ctx, rt),
  }
}

export { FifoObject } from '../objects/fifo-object'
export { IndexObject } from '../objects/index-object'
export { SchedulerObject } from '../objects/scheduler-object'
export { StateObject } from '../objects/state-object'
export { StreamHub } from '../objects/stream-hub'
export { StreamObject } from '../objects/stream-object'
export { TraceObject } from '../objects/trace-object'
export type { StepflareEnv } from './env'
export type { AppDefinition, StepModuleEntry } from './runtime'
