/**
 * Runs one handler attempt with an optional timeout. A timed-out handler cannot be stopped, but
 * its recorder is sealed, so nothing it emits afterwards is delivered.
 * @module
 */
import { HandlerTimeoutError } from '../sdk/errors'

export type AttemptOutcome<T> = { ok: true; value: T } | { ok: false; error: unknown }

export async function runAttempt<T>(fn: () => Promise<T> | T, timeoutMs?: number): Promise<AttemptOutcome<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    // Without a timeout, the handler is called directly: a synchronous throw lands in the catch.
    const value = timeoutMs
      ? await Promise.race([
          Promise.resolve().then(fn),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new HandlerTimeoutError(`handler exceeded its timeout of ${timeoutMs / 1000} s`)), timeoutMs)
          }),
        ])
      : await fn()
    return { ok: true, value }
  } catch (error) {
    return { ok: false, error }
  } finally {
    if (timer) clearTimeout(timer)
  }
}
