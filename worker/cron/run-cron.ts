/**
 * Runs one cron step in a fresh trace. Overlapping runs of the same step are skipped, not stacked:
 * the step's SchedulerObject holds a lease while a run is in progress.
 * @module
 */
import { serializeError } from '../../sdk/errors'
import { commitRun } from '../commit'
import { createFlowContext } from '../context'
import type { StepflareEnv } from '../env'
import { RunRecorder } from '../recorder'
import { runAttempt } from '../run-attempt'
import type { CronBinding, Runtime } from '../runtime'
import { newTraceId } from '../trace-id'

/** How long a cron run holds its overlap lease when the step sets no timeout. */
const DEFAULT_CRON_LEASE_MS = 15 * 60_000

export interface CronRunResult {
  step: string
  traceId?: string
  status: 'completed' | 'failed' | 'skipped'
  reason?: string
}

export async function runCronStep(rt: Runtime, env: StepflareEnv, { step, trigger }: CronBinding, cause: 'schedule' | 'manual'): Promise<CronRunResult> {
  const name = step.model.name
  const scheduler = env.STEPFLARE_SCHEDULER.getByName(name)
  const traceId = newTraceId()
  const leaseMs = step.model.timeoutMs ? step.model.timeoutMs + 10_000 : DEFAULT_CRON_LEASE_MS
  if (!(await scheduler.tryStart(traceId, leaseMs))) {
    console.log(JSON.stringify({ level: 'info', msg: 'cron run skipped: the previous run is still in progress', step: name, time: Date.now() }))
    return { step: name, status: 'skipped', reason: 'previous run still in progress' }
  }
  const triggerInfo = { type: 'cron' as const, expression: trigger.expression }
  const recorder = new RunRecorder(name, triggerInfo)
  const ctx = createFlowContext({ rt, env, traceId, flows: step.model.flows, step, trigger: triggerInfo, recorder })
  let status: CronRunResult['status'] = 'completed'
  try {
    if (trigger.condition && !(await trigger.condition(undefined, ctx))) return { step: name, status: 'skipped', reason: 'trigger condition not met' }
    const handler = step.handler
    const outcome = await runAttempt(() => (step.model.style === 'classic' ? handler?.(ctx) : handler?.(undefined, ctx)), step.model.timeoutMs)
    const error = outcome.ok ? undefined : serializeError(outcome.error)
    if (error) {
      status = 'failed'
      ctx.logger.error('cron handler failed', { error, cause })
    }
    try {
      await commitRun(
        env,
        null,
        {
          traceId,
          flows: step.model.flows,
          entry: { step: name, kind: 'cron' },
          run: recorder.finish(status, error),
          emits: recorder.emits,
          fresh: true,
        },
        recorder.sharded,
      )
    } catch {}
    return { step: name, traceId, status }
  } finally {
    await scheduler.finish(traceId, status)
  }
}
