/**
 * `GET /__stepflare/queues`: per event step, how many deliveries are pending, in flight, retrying,
 * completed and dead. Every trace shard answers for the traces it hosts; dead letters come from
 * the index. A shard that cannot answer is counted, not fatal.
 * @module
 */
import type { StepQueueCounts } from '../../objects/trace/outcomes'
import { allTraceStubs, indexStub, type StepflareEnv } from '../env'
import type { Runtime } from '../runtime'

export interface StepQueueRow extends StepQueueCounts {
  step: string
  topics: string[]
  type: 'standard' | 'fifo'
  dead: number
}

export interface QueueCounts {
  steps: StepQueueRow[]
  /** Traces with unfinished work. */
  activeTraces: number
  /** Trace shards that did not answer (their traces' counts are missing). */
  unanswered: number
}

export async function queueCounts(env: StepflareEnv, rt: Runtime): Promise<QueueCounts> {
  const [dead, ...answers] = await Promise.allSettled([indexStub(env).deadLetterCounts(), ...allTraceStubs(env).map((shard) => shard.queueCounts())])
  const deadCounts = dead.status === 'fulfilled' ? (dead.value as Record<string, number>) : {}
  const rows = new Map<string, StepQueueRow>()
  for (const step of rt.steps.values()) {
    const queues = step.model.triggers.flatMap((t) => (t.type === 'queue' ? [t] : []))
    if (queues.length === 0) continue
    rows.set(step.model.name, {
      step: step.model.name,
      topics: queues.map((q) => q.topic),
      type: queues.some((q) => q.queue.type === 'fifo') ? 'fifo' : 'standard',
      pending: 0,
      inFlight: 0,
      retrying: 0,
      completed: 0,
      dead: deadCounts[step.model.name] ?? 0,
    })
  }
  let activeTraces = 0
  let unanswered = 0
  for (const answer of answers) {
    if (answer.status === 'rejected') {
      unanswered++
      continue
    }
    const shard = answer.value as { steps: Record<string, StepQueueCounts>; activeTraces: number }
    activeTraces += shard.activeTraces
    for (const [step, c] of Object.entries(shard.steps)) {
      const row = rows.get(step)
      if (!row) continue
      row.pending += c.pending
      row.inFlight += c.inFlight
      row.retrying += c.retrying
      row.completed += c.completed
    }
  }
  return { steps: [...rows.values()], activeTraces, unanswered }
}
