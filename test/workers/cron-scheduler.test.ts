import { runDurableObjectAlarm } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { SECONDS_SCHEDULER } from '../../worker/cron/scheduled'
import type { StepflareEnv } from '../../worker/env'
import { call } from './helpers'

const e = env as unknown as StepflareEnv

describe('cron beyond Cron Triggers', () => {
  it('runs a 6-field (seconds) expression from the scheduler object alarm, and keeps it armed', async () => {
    const scheduler = e.STEPFLARE_SCHEDULER.getByName(SECONDS_SCHEDULER)
    const next = await scheduler.arm()
    expect(next).not.toBeNull()
    expect((next as number) - Date.now()).toBeLessThanOrEqual(1100)
    // run the alarm now (it may also fire by itself meanwhile: either way the step runs)
    await runDurableObjectAlarm(scheduler)
    let ticks = 0
    for (let i = 0; i < 100 && ticks === 0; i++) {
      ticks = ((await e.STEPFLARE_STATE.getByName('seconds').stateGet('seconds', 'ticks')) as number | null) ?? 0
      await new Promise((r) => setTimeout(r, 20))
    }
    expect(ticks).toBeGreaterThanOrEqual(1)
    // the alarm re-armed itself for the next second
    expect(await runDurableObjectAlarm(scheduler)).toBe(true)
    let after = ticks
    for (let i = 0; i < 100 && after <= ticks; i++) {
      after = ((await e.STEPFLARE_STATE.getByName('seconds').stateGet('seconds', 'ticks')) as number) ?? 0
      await new Promise((r) => setTimeout(r, 20))
    }
    expect(after).toBeGreaterThan(ticks)
  })

  it('skips an overlapping run of the same cron step instead of stacking it', async () => {
    const [a, b] = await Promise.all([
      call('/__stepflare/cron/SlowCron/run', { method: 'POST', headers: { 'x-stepflare-request': 'test' } }).then(
        (r) => r.json() as Promise<{ status: string; reason?: string }>,
      ),
      new Promise((r) => setTimeout(r, 100)).then(() =>
        call('/__stepflare/cron/SlowCron/run', { method: 'POST', headers: { 'x-stepflare-request': 'test' } }).then(
          (r) => r.json() as Promise<{ status: string; reason?: string }>,
        ),
      ),
    ])
    expect(a.status).toBe('completed')
    expect(b).toEqual({ step: 'SlowCron', status: 'skipped', reason: 'previous run still in progress' })
    expect(await e.STEPFLARE_STATE.getByName('slow-cron').stateGet('slow-cron', 'runs')).toBe(1)
    // once the first run is over, the next one runs
    const c = (await (await call('/__stepflare/cron/SlowCron/run', { method: 'POST', headers: { 'x-stepflare-request': 'test' } })).json()) as {
      status: string
    }
    expect(c.status).toBe('completed')
  })
})
