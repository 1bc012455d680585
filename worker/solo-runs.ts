/**
 * Single-run traces (an API request or cron tick that emitted nothing) are observability only:
 * they are buffered per isolate and written to the index in batches — at most every
 * {@link FLUSH_MS} or {@link FLUSH_SIZE} runs — instead of one index call per request. Reads of
 * traces flush this isolate's buffer first (trace-list.ts), so under `stepflare dev`, one isolate,
 * a trace can be read as soon as its response is sent. A batch still buffered when its isolate is
 * evicted is lost; runs that emitted are never buffered.
 *
 * The window is long because each batch costs a call and a commit of the index whatever its size:
 * at 200 ms (batches of about 64 under load) they cost an API request about 0.1 ms, a tenth of a
 * bare Hono Worker's; at 1 s most of that is gone (bench/RESULTS.md).
 * @module
 */
import { type SoloRowValues, type SoloRun, soloRowValues } from '../objects/index/solo-traces'
import { indexStub, type StepflareEnv } from './env'

export const FLUSH_MS = 1000
export const FLUSH_SIZE = 512

let buffer: SoloRowValues[] = []
/** When the pending batch's timer was armed (0: none). */
let armedAt = 0

/** Writes this isolate's buffered single-run traces to the index now. Never throws. */
export async function flushSoloRuns(env: StepflareEnv): Promise<void> {
  const batch = buffer
  buffer = []
  if (batch.length === 0) return
  try {
    await indexStub(env).recordSoloRuns(batch)
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
  // Serialised now rather than at the flush, so no request waits for a whole batch's JSON.
  buffer.push(soloRowValues(run))
  if (buffer.length >= FLUSH_SIZE) return flushSoloRuns(env)
  // A timer that should have fired long ago died with the request that armed it: arm another.
  const now = Date.now()
  if (armedAt !== 0 && now - armedAt < FLUSH_MS * 5) return null
  armedAt = now
  return new Promise<void>((resolve) => setTimeout(resolve, FLUSH_MS)).then(() => {
    armedAt = 0
    return flushSoloRuns(env)
  })
}
