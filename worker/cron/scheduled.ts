/**
 * The `scheduled` handler: Cron Triggers fire per distinct expression; every step whose 5-field
 * expression it is runs. Each tick also keeps the seconds scheduler (6-field crons) armed.
 * @module
 */
import type { StepflareEnv } from '../env'
import type { Runtime } from '../runtime'
import { runCronStep } from './run-cron'

export function normalizeCron(expression: string): string {
  return expression.trim().split(/\s+/).join(' ')
}

export async function handleScheduled(controller: ScheduledController, env: StepflareEnv, ctx: ExecutionContext, rt: Runtime): Promise<void> {
  const fired = normalizeCron(controller.cron)
  const due = rt.crons.filter((b) => !b.trigger.seconds && normalizeCron(b.trigger.expression) === fired)
  const work: Promise<unknown>[] = due.map((b) => runCronStep(rt, env, b, 'schedule'))
  if (rt.crons.some((b) => b.trigger.seconds)) work.push(env.STEPFLARE_SCHEDULER.getByName(SECONDS_SCHEDULER).arm())
  ctx.waitUntil(Promise.allSettled(work))
  await Promise.allSettled(work)
}

/** The SchedulerObject that drives 6-field (seconds) cron expressions with its alarm. */
export const SECONDS_SCHEDULER = '__seconds__'
