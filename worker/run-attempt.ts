/**
 * Runs one handler attempt with an optional timeout. A timed-out handler cannot be stopped, but
 * its recorder is sealed, so nothing it emits afterwards is delivered.
 * @module
 */
import { HandlerTimeoutError } from '../sdk/errors'

export type AttemptOutcome<T> = { ok: true; value: T } | { ok: false; error: unknown }

/**
 * Calls `fn`, failing with a {@link HandlerTimeoutError} after `timeoutMs`. Without a timeout it is
 * just `fn()` (no promise or timer added): a synchronous throw reaches the caller as a throw.
 */
export function callWithTimeout<T>(fn: () => Promise<T> | T, timeoutMs?: number): Promise<T> | T {
  if (!timeoutMs) return fn()
  let timer: ReturnType<typeof setTimeout> | undefined
  return Promise.race([
    Promise.resolve().then(fn),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new HandlerTimeoutError(`handler exceeded its timeout of ${timeoutMs / 1000} s`)), timeoutMs)
    }),
  ]).finally(() => clearTimeout(timer))
}

export async function runAttempt<T>(fn: () => Promise<T> | T, timeoutMs?: number): Promise<AttemptOutcome<T>> {
  try {
    return { ok: true, value: await callWithTimeout(fn, timeoutMs) }
  } catch (error) {
    return { ok: false, error }
  }
}
