/**
 * How long an attempt of a delivery may run before the trace shard counts it as lost and sends it
 * again: the step's handler timeout plus 10 s, or else its queue's visibility timeout.
 * @module
 */
import type { Runtime } from '../runtime'

export function leaseMs(rt: Runtime, step: string, topic: string): number {
  const sub = rt.subscription(step, topic)
  const timeoutMs = sub?.step.model.timeoutMs
  return timeoutMs ? timeoutMs + 10_000 : (sub?.trigger.queue.visibilityTimeout ?? 900) * 1000
}
