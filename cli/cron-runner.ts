/**
 * `wrangler dev` never fires Cron Triggers, so `stepflare dev` does: each distinct 5-field
 * expression is scheduled here and fired through wrangler's local scheduled-handler endpoint.
 * (6-field expressions run on the scheduler object's alarm inside the Worker.)
 * @module
 */
import { Cron } from 'croner'
import type { StepModel } from '../sdk/config/model'

export function cronExpressions(steps: StepModel[]): string[] {
  const out = new Set<string>()
  for (const s of steps) for (const t of s.triggers) if (t.type === 'cron' && !t.seconds) out.add(t.expression.trim().split(/\s+/).join(' '))
  return [...out]
}

export class CronRunner {
  private jobs: Cron[] = []

  constructor(private readonly baseUrl: string) {}

  update(steps: StepModel[]): void {
    this.stop()
    // The Worker also needs a tick now and then to keep its seconds scheduler armed.
    const expressions = cronExpressions(steps)
    this.jobs = expressions.map(
      (expr) =>
        new Cron(expr, { mode: '5-part', protect: true }, async () => {
          const url = `${this.baseUrl}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent(expr)}&time=${Date.now()}`
          try {
            await fetch(url)
          } catch {
            // the dev server is restarting; the next tick will fire
          }
        }),
    )
  }

  stop(): void {
    for (const j of this.jobs) j.stop()
    this.jobs = []
  }
}
