/**
 * Motia 1.x `state()` and `stream()` triggers. A state change (set, update, delete) or a stream
 * item change (create, update, delete) is committed, in the trace of the run or request that made
 * it, as one event per trigger it concerns — on the trigger's own internal topic (runtime.ts) — and
 * from there it is delivered like any event: at least once, with retries and dead letters, its
 * `condition` checked before the handler runs. The inputs are Motia's:
 * `{type: 'state', group_id, item_id, old_value?, new_value?}` and
 * `{type: 'stream', timestamp, streamName, groupId, id, event: {type, data}}`.
 *
 * The event is committed right after the change (not with the run's own emits), so a handler that
 * changes state and then throws still fires the triggers of the change it made.
 * @module
 */
import type { EmitRecord } from '../objects/trace/records'
import { type StepflareEnv, traceStub } from './env'
import { RunRecorder } from './recorder'
import type { Runtime } from './runtime'

/** The trace a change belongs to; `fresh` when it was made for this change (a system route). */
export interface ChangeOrigin {
  traceId: string
  flows: string[]
  fresh?: boolean
  /** Told once a change is committed: the trace now lives in its shard (commit.ts). */
  onCommit?: () => void
}

export type StateChangeSink = (group: string, key: string, oldValue: unknown, newValue: unknown) => Promise<void>
export type StreamChangeSink = (type: 'create' | 'update' | 'delete', streamName: string, groupId: string, id: string, data: unknown) => Promise<void>

async function commit(env: StepflareEnv, origin: ChangeOrigin, kind: 'state' | 'stream', emits: EmitRecord[]): Promise<void> {
  if (emits.length === 0) return
  const step = `__${kind}`
  const recorder = new RunRecorder(step, { type: kind })
  for (const e of emits) recorder.emit(e)
  await traceStub(env, origin.traceId).commit({
    traceId: origin.traceId,
    flows: origin.flows,
    entry: { step, kind },
    run: recorder.finish('completed'),
    emits: recorder.emits,
    ...(origin.fresh ? { fresh: true as const } : {}),
  })
  origin.fresh = false
  origin.onCommit?.()
}

/** A sink for state changes, or undefined when no step has a state trigger (then state writes cost nothing more). */
export function stateChangeSink(env: StepflareEnv, rt: Runtime, origin: ChangeOrigin): StateChangeSink | undefined {
  if (rt.stateTriggers.length === 0) return undefined
  return (group, key, oldValue, newValue) => {
    const data = {
      type: 'state',
      group_id: group,
      item_id: key,
      ...(oldValue !== null && oldValue !== undefined ? { old_value: oldValue } : {}),
      ...(newValue !== null && newValue !== undefined ? { new_value: newValue } : {}),
    }
    return commit(
      env,
      origin,
      'state',
      rt.stateTriggers.map((b) => ({ topic: b.topic, data })),
    )
  }
}

/** A sink for stream item changes, or undefined when no step has a stream trigger. */
export function streamChangeSink(env: StepflareEnv, rt: Runtime, origin: ChangeOrigin): StreamChangeSink | undefined {
  if (rt.streamTriggers.length === 0) return undefined
  return (type, streamName, groupId, id, item) => {
    const matching = rt.streamTriggers.filter((b) => {
      const t = b.trigger
      return t.type === 'stream' && t.streamName === streamName && (!t.groupId || t.groupId === groupId) && (!t.itemId || t.itemId === id)
    })
    const data = { type: 'stream', timestamp: Date.now(), streamName, groupId, id, event: { type, data: item } }
    return commit(
      env,
      origin,
      'stream',
      matching.map((b) => ({ topic: b.topic, data })),
    )
  }
}
