/**
 * `GET /__stepflare/queues`: per event step, how many deliveries are pending, in flight, retrying,
 * completed and dead. Live counts come from the traces that still have work (the index lists
 * them); completed totals and dead letters from the index.
 * @module
 */
import type { StepQueueCounts } from '../../objects/trace-object'
import { indexStub, type StepflareEnv, traceStub } from '../env'
import type { Runtime } from '../runtime'

const MAX_ACTIVE_TRACES = 2000

export interface StepQueueRow extends StepQueueCounts {
  step: string
  topics: string[]
  type: 'standard' | 'fifo'
  dead: number
}

export async function queueCounts(env: StepflareEnv, rt: Runtime): Promise<{ steps: StepQueueRow[]; activeTraces: number; truncated: boolean }> {
  const index = indexStub(env)
  const [active, totals] = await Promise.all([index.activeTraces(MAX_ACTIVE_TRACES + 1), index.stepTotals()])
  const rows = new Map<string, StepQueueRow>()
  for (const step of rt.steps.values()) {
    const queues = step.model.triggers.flatMap((t) => (t.type === 'queue' ? [t] : []))
    if (queues.length === 0) continue
    const t = totals[step.model.name]
    rows.set(step.model.name, {
      step: step.model.name,
      topics: queues.map((q) => q.topic),
      type: queues.some((q) => q.queue.type === 'fifo') ? 'fifo' : 'standard',
      pending: 0,
      inFlight: 0,
      retrying: 0,
      completed: t?.completed ?? 0,
      dead: t?.dead ?? 0,
    })
  }
  const traces = active.slice(0, MAX_ACTIVE_TRACES)
  for (let i = 0; i < traces.length; i += 50) {
    const counts = await Promise.all(traces.slice(i, i + 50).map((id) => traceStub(env, id).queueCounts()))
    for (const perStep of counts) {
      for (const [step, c] of Object.entries(perStep as Record<string, StepQueueCounts>)) {
        const row = rows.get(step)
        if (!row) continue
        row.pending += c.pending
        row.inFlight += c.inFlight
        row.retrying += c.retrying
        row.completed += c.completed
      }
    }
  }
  return { steps: [...rows.values()], activeTraces: traces.length, truncated: active.length > MAX_ACTIVE_TRACES }
}
