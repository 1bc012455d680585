/**
 * SchedulerObject: per cron step, the overlap lease (a run in progress makes the next tick skip)
 * and the last run; the instance named `__seconds__` also drives 6-field (seconds) expressions,
 * which Cron Triggers cannot express, with its alarm.
 * @module
 */
import { DurableObject } from 'cloudflare:workers'
import { Cron } from 'croner'
import { runCronStep } from '../worker/cron/run-cron'
import type { StepflareEnv } from '../worker/env'
import { getRuntime } from '../worker/runtime'

interface Lease {
  runId: string
  until: number
}

export interface CronInfo {
  running: boolean
  lastRun?: { at: number; runId: string; status: string }
  nextRun?: number
}

export class SchedulerObject extends DurableObject<StepflareEnv> {
  tryStart(runId: string, leaseMs: number): boolean {
    const now = Date.now()
    const lease = this.ctx.storage.kv.get<Lease>('lease')
    if (lease && lease.until > now) return false
    this.ctx.storage.kv.put('lease', { runId, until: now + leaseMs })
    return true
  }

  finish(runId: string, status: string): void {
    const lease = this.ctx.storage.kv.get<Lease>('lease')
    if (lease?.runId === runId) this.ctx.storage.kv.delete('lease')
    this.ctx.storage.kv.put('lastRun', { at: Date.now(), runId, status })
  }

  info(): CronInfo {
    const lease = this.ctx.storage.kv.get<Lease>('lease')
    const lastRun = this.ctx.storage.kv.get<CronInfo['lastRun']>('lastRun')
    return { running: !!lease && lease.until > Date.now(), ...(lastRun ? { lastRun } : {}) }
  }

  /** Sets the alarm to the next tick of any seconds-cron (idempotent). */
  async arm(): Promise<number | null> {
    const next = this.nextTick()
    if (next === null) return null
    const current = await this.ctx.storage.getAlarm()
    if (current === null || current > next) await this.ctx.storage.setAlarm(next)
    return next
  }

  private nextTick(after = new Date()): number | null {
    let next: number | null = null
    for (const b of getRuntime().crons) {
      if (!b.trigger.seconds) continue
      const at = new Cron(b.trigger.expression, { paused: true, mode: '6-part' }).nextRun(after)?.getTime()
      if (at !== undefined && (next === null || at < next)) next = at
    }
    return next
  }

  override async alarm(): Promise<void> {
    const rt = getRuntime()
    const now = new Date(Date.now() - 500)
    const due = rt.crons.filter((b) => {
      if (!b.trigger.seconds) return false
      const at = new Cron(b.trigger.expression, { paused: true, mode: '6-part' }).nextRun(now)?.getTime()
      return at !== undefined && at <= Date.now() + 500
    })
    for (const b of due) this.ctx.waitUntil(runCronStep(rt, this.env, b, 'schedule'))
    const next = this.nextTick(new Date(Date.now() + 500))
    if (next !== null) await this.ctx.storage.setAlarm(next)
  }
}
