/**
 * `GET /__stepflare/queues`: per event step, how many deliveries are pending, in flight, retrying,
 * completed and dead. Live counts come from the traces that still have work (the index lists
 * them); completed totals and dead letters from the index. Under a large backlog only the first
 * {@link MAX_ACTIVE_TRACES} are asked, a few at a time (each is its own database: opening thousands
 * at once exhausts a local dev server's memory), and a trace that cannot answer is counted, not fatal.
 * @module
 */
import type { StepQueueCounts } from '../../objects/trace-object'
import { indexStub, type StepflareEnv, traceStub } from '../env'
import type { Runtime } from '../runtime'

const MAX_ACTIVE_TRACES = 500
const AT_ONCE = 25

export interface StepQueueRow extends StepQueueCounts {
  step: string
  topics: string[]
  type: 'standard' | 'fifo'
  dead: number
}

export interface QueueCounts {
  steps: StepQueueRow[]
  /** Unfinished traces asked for their live counts. */
  activeTraces: number
  /** More traces have unfinished work than were asked: live counts are a lower bound. */
  truncated: boolean
  /** Traces asked that did not answer (their live counts are missing). */
  unanswered: number
}

export async function queueCounts(env: StepflareEnv, rt: Runtime): Promise<QueueCounts> {
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
  let unanswered = 0
  for (let i = 0; i < traces.length; i += AT_ONCE) {
    const settled = await Promise.allSettled(traces.slice(i, i + AT_ONCE).map((id) => traceStub(env, id).queueCounts()))
    for (const answer of settled) {
      if (answer.status === 'rejected') {
        unanswered++
        continue
      }
      for (const [step, c] of Object.entries(answer.value as Record<string, StepQueueCounts>)) {
        const row = rows.get(step)
        if (!row) continue
        row.pending += c.pending
        row.inFlight += c.inFlight
        row.retrying += c.retrying
        row.completed += c.completed
      }
    }
  }
  return { steps: [...rows.values()], activeTraces: traces.length, truncated: active.length > MAX_ACTIVE_TRACES, unanswered }
}
