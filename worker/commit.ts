/**
 * Commits a finished entry run (API request, cron tick). A run that emitted is committed to its
 * trace shard before the caller answers (its events must not be lost if the isolate dies right
 * after); a run that emitted nothing is recorded in the index in batches (see solo-runs.ts), in
 * the background when `exec` is given.
 *
 * Each request sends its own `commit` call; the shard groups concurrent calls into one commit of
 * its database (objects/group-writer.ts). Grouping here, in the Worker, was tried and removed: a
 * request woken by a promise another request resolved runs on in that request's I/O context, and
 * workerd refuses the I/O ("Cannot perform I/O on behalf of a different request") or ends the wait
 * ("Promise will never complete") — test/workers/events.test.ts ("commits 40 API requests…")
 * holds the line.
 * @module
 */
import type { CommitInput } from '../objects/trace-object'
import { type StepflareEnv, traceStub } from './env'
import { recordSoloRun } from './solo-runs'

/**
 * Returns the work to wait for, or nothing when there is none: a run buffered for the index, with
 * `exec` to keep its batch's write alive, needs no wait (most API requests; a promise and a turn
 * saved).
 */
export function commitRun(env: StepflareEnv, exec: Pick<ExecutionContext, 'waitUntil'> | null, input: CommitInput, sharded = false): Promise<void> | undefined {
  // `sharded`: the run already put records in its trace's shard (changes that fired triggers).
  if (sharded) return commitToShard(env, { ...input, fresh: undefined })
  if (input.emits.length > 0 && input.run.status === 'completed') return commitToShard(env, input)
  // Nothing to coordinate: the trace is this one run, kept in the index (batched).
  const work = recordSoloRun(env, { traceId: input.traceId, flows: input.flows, entryKind: input.entry.kind, run: input.run })
  if (!work) return
  if (!exec) return work
  exec.waitUntil(work)
}

async function commitToShard(env: StepflareEnv, input: CommitInput): Promise<void> {
  await traceStub(env, input.traceId).commit(input)
}
