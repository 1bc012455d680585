/**
 * Commits a finished run to its trace. Runs that emitted are committed before the caller answers
 * (their events must not be lost if the isolate dies right after); the others in the background.
 * @module
 */
import type { CommitInput } from '../objects/trace-object'
import { type StepflareEnv, traceStub } from './env'

export async function commitRun(env: StepflareEnv, exec: Pick<ExecutionContext, 'waitUntil'>, input: CommitInput): Promise<void> {
  const work = traceStub(env, input.traceId).commit(input)
  if (input.emits.length > 0 && input.run.status === 'completed') {
    await work
    return
  }
  exec.waitUntil(
    work.then(
      () => undefined,
      (err) => console.error(JSON.stringify({ level: 'error', msg: 'trace commit failed', traceId: input.traceId, error: String(err) })),
    ),
  )
}
