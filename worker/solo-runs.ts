/**
 * Single-run traces (an API request or cron tick that emitted nothing) are observability only:
 * they are buffered per isolate and written to the index in batches — at most every
 * {@link FLUSH_MS} or {@link FLUSH_SIZE} runs — instead of one index call per request. A batch
 * still buffered when its isolate is evicted is lost; runs that emitted are never buffered.
 * @module
 */
import type { SoloRun } from '../objects/index-object'
import { indexStub, type StepflareEnv } from './env'

export const FLUSH_MS = 200
export const FLUSH_SIZE = 64

let buffer: SoloRun[] = []
let scheduled: Promise<void> | null = null

async function flush(env: StepflareEnv): Promise<void> {
  const batch = buffer
  buffer = []
  scheduled = null
  if (batch.length === 0) return
  try {
    await indexStub(env).recordSoloRuns(JSON.stringify(batch))
  } catch (err) {
    console.error(JSON.stringify({ level: 'error', msg: 'recording single-run traces failed', count: batch.length, error: String(err) }))
  }
}

/**
 * Buffers a run. Returns the write of its batch (for `waitUntil`) only to the caller that started
 * it — the one that armed the batch's timer or filled the batch; that caller keeps the write alive,
 * and the others' requests need not wait for it (each `waitUntil` costs a request ~0.1 ms).
 */
export function recordSoloRun(env: StepflareEnv, run: SoloRun): Promise<void> | null {
  buffer.push(run)
  if (buffer.length >= FLUSH_SIZE) return flush(env)
  if (scheduled) return null
  scheduled = new Promise<void>((resolve) => setTimeout(resolve, FLUSH_MS)).then(() => flush(env))
  return scheduled
}
