/**
 * Commits a finished entry run (API request, cron tick). A run that emitted is committed to its
 * trace shard before the caller answers (its events must not be lost if the isolate dies right
 * after), grouped with the other requests' commits to the same shard (group-commit.ts); a run
 * that emitted nothing is recorded in the index in batches (see solo-runs.ts), in the background
 * when `exec` is given.
 * @module
 */
import { traceShardName } from '../objects/trace/shards'
import type { CommitInput } from '../objects/trace-object'
import { type StepflareEnv, traceShards, traceStub } from './env'
import { GroupCommitter } from './group-commit'
import { recordSoloRun } from './solo-runs'

/**
 * One per isolate and shard. Its calls are made from the request that leads them (the stub is
 * made there), whichever request's `env` created it: the bindings are the same.
 */
const committers = new Map<string, GroupCommitter<CommitInput>>()

function committer(env: StepflareEnv, shard: string): GroupCommitter<CommitInput> {
  let c = committers.get(shard)
  if (!c) {
    c = new GroupCommitter<CommitInput>({
      send: (items) => env.STEPFLARE_TRACE.getByName(shard).settleMany(items.map((input) => ({ kind: 'completed' as const, ...input }))),
    })
    committers.set(shard, c)
  }
  return c
}

export async function commitRun(env: StepflareEnv, exec: Pick<ExecutionContext, 'waitUntil'> | null, input: CommitInput): Promise<void> {
  if (input.emits.length > 0 && input.run.status === 'completed') {
    if (!exec) {
      await traceStub(env, input.traceId).commit(input)
      return
    }
    await committer(env, traceShardName(input.traceId, traceShards(env))).commit(input, (p) => exec.waitUntil(p))
    return
  }
  // Nothing to coordinate: the trace is this one run, kept in the index (batched).
  const work = recordSoloRun(env, { traceId: input.traceId, flows: input.flows, entryKind: input.entry.kind, run: input.run })
  if (exec) exec.waitUntil(work)
  else await work
}
