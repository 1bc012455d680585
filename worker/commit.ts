/**
 * Commits a finished entry run (API request, cron tick). A run that emitted is committed to its
 * TraceObject before the caller answers (its events must not be lost if the isolate dies right
 * after); a run that emitted nothing is recorded in the index in batches (see solo-runs.ts), in
 * the background when `exec` is given.
 * @module
 */
import type { CommitInput } from '../objects/trace-object'
import { type StepflareEnv, traceStub } from './env'
import { recordSoloRun } from './solo-runs'

export async function commitRun(env: StepflareEnv, exec: Pick<ExecutionContext, 'waitUntil'> | null, input: CommitInput): Promise<void> {
  if (input.emits.length > 0 && input.run.status === 'completed') {
    await traceStub(env, input.traceId).commit(input)
    return
  }
  // Nothing to coordinate: the trace is this one run, kept in the index (batched).
  const work = recordSoloRun(env, { traceId: input.traceId, flows: input.flows, entryKind: input.entry.kind, run: input.run })
  if (exec) exec.waitUntil(work)
  else await work
}
