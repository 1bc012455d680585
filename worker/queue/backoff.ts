/**
 * Retry delays: exponential from `backoffDelayMs` (1 s by default), linear or fixed, with ±25%
 * jitter so that failures of many messages do not retry in lockstep, capped.
 * @module
 */
import type { QueueSettings } from '../../sdk/config/model'

export const DEFAULT_MAX_BACKOFF_MS = 300_000

/** Delay before the attempt after failed attempt number `attempt` (1-based). */
export function backoffMs(
  q: Pick<QueueSettings, 'backoffType' | 'backoffDelayMs'>,
  attempt: number,
  maxMs = DEFAULT_MAX_BACKOFF_MS,
  random = Math.random,
): number {
  const base = q.backoffDelayMs
  const raw = q.backoffType === 'fixed' ? base : q.backoffType === 'linear' ? base * attempt : base * 2 ** (attempt - 1)
  const jittered = raw * (0.75 + random() * 0.5)
  return Math.round(Math.min(maxMs, Math.max(0, jittered)))
}
