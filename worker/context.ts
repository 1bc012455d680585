/**
 * Builds the `ctx` a handler receives for one attempt: emit/enqueue (whitelisted, buffered until
 * the attempt ends), state, streams, a logger bound to the trace and step, the trigger, and env.
 *
 * `ctx` is a class instance, not an object literal: V8 tends to pretenure a literal's allocation
 * site on a busy Worker (its objects are then born in the old generation), and this object is
 * made on every request; as a literal with getters it was also built by a slow runtime path
 * (~1 us). Measured under load, the class cut what the Worker promotes to the old generation from
 * ~1.45 to ~1.26 KB per request, so full collections come later (bench/RESULTS.md). `state`,
 * `streams` and `logger` are getters on the prototype, built on first use; `{ ...ctx }` copies
 * only the plain fields (traceId, flows, emit, enqueue, trigger, env).
 * @module
 */
import type { EmitEvent, FlowContext, Logger, StateManager, Streams, TriggerInfo } from '../sdk/context-types'
import { EmitError } from '../sdk/errors'
import { type ChangeOrigin, stateChangeSink, streamChangeSink } from './change-triggers'
import type { StepflareEnv } from './env'
import { createLogger } from './logger'
import { checkPayload } from './payload-limits'
import { RECORDER } from './python/bridge'
import type { RunRecorder } from './recorder'
import type { Runtime, StepEntry } from './runtime'
import { createStateManager } from './state-client'
import { createStreams } from './streams/stream-client'

export interface RunScope {
  rt: Runtime
  env: StepflareEnv
  traceId: string
  flows: string[]
  step: StepEntry
  trigger: TriggerInfo
  recorder: RunRecorder
}

/** Motia's whitelist: a step may emit only topics in its `emits`, unless `emits` is empty. */
export function mayEmit(step: StepEntry, topic: string): boolean {
  return step.model.emitsAny || step.model.emits.some((e) => e.topic === topic)
}

class StepContext {
  readonly traceId: string
  readonly flows: string[]
  readonly trigger: TriggerInfo
  readonly env: StepflareEnv
  /** Own, and bound: handlers destructure it (`async (input, { emit }) => ...`). */
  readonly emit: (event: EmitEvent) => Promise<void>
  readonly enqueue: (event: EmitEvent) => Promise<void>
  /** For the Python bridge, which reports the state operations the Python handler made. */
  readonly [RECORDER]: RunRecorder
  readonly #scope: RunScope
  #logger: Logger | undefined
  #state: StateManager | undefined
  #streams: Streams | undefined

  constructor(scope: RunScope) {
    this.#scope = scope
    this.traceId = scope.traceId
    this.flows = scope.flows
    this.trigger = scope.trigger
    this.env = scope.env
    this[RECORDER] = scope.recorder
    this.emit = this.enqueue = (event) => emitFor(scope, this, event)
  }

  get logger(): Logger {
    if (!this.#logger) {
      const { traceId, step, flows, recorder, env } = this.#scope
      this.#logger = createLogger({ traceId, step: step.model.name, flows }, (r) => recorder.log(r), env.LOG_LEVEL)
    }
    return this.#logger
  }

  get state(): StateManager {
    const { env, rt, recorder } = this.#scope
    this.#state ??= createStateManager(
      env,
      (op) => recorder.stateOp(op),
      rt.stateTriggers.length ? stateChangeSink(env, rt, changeOrigin(this.#scope)) : undefined,
    )
    return this.#state
  }

  get streams(): Streams {
    const { env, rt, recorder } = this.#scope
    this.#streams ??= createStreams(
      env,
      rt.streams,
      (op) => recorder.streamOp(op),
      rt.streamTriggers.length ? streamChangeSink(env, rt, changeOrigin(this.#scope)) : undefined,
    )
    return this.#streams
  }
}

function changeOrigin({ traceId, flows, recorder }: RunScope): ChangeOrigin {
  return {
    traceId,
    flows,
    onCommit: () => {
      recorder.sharded = true
    },
  }
}

async function emitFor(scope: RunScope, ctx: StepContext, event: EmitEvent): Promise<void> {
  const { rt, step, recorder } = scope
  if (!event || typeof event !== 'object' || typeof event.topic !== 'string') {
    throw new EmitError(`emit: expected { topic, data }, found ${JSON.stringify(event)}`)
  }
  if (!mayEmit(step, event.topic)) {
    ctx.logger.error('invalid emit: topic is not in the step emits', { topic: event.topic, emits: step.model.emits.map((e) => e.topic) })
    return
  }
  checkPayload(event.data, `the data of event ${JSON.stringify(event.topic)}`)
  const fifo = rt.subscribersOf(event.topic).find((s) => s.trigger.queue.type === 'fifo')
  if (fifo && !event.messageGroupId) {
    throw new EmitError(`emit ${JSON.stringify(event.topic)}: step ${fifo.step.model.name} is a FIFO subscriber, so the event needs a messageGroupId`)
  }
  if (!recorder.emit({ topic: event.topic, data: event.data, ...(event.messageGroupId ? { messageGroupId: event.messageGroupId } : {}) })) {
    ctx.logger.warn('emit after the attempt ended is dropped', { topic: event.topic })
  }
}

export function createFlowContext(scope: RunScope): FlowContext<EmitEvent, StepflareEnv> {
  return new StepContext(scope)
}
