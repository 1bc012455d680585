/**
 * Builds the `ctx` a handler receives for one attempt: emit/enqueue (whitelisted, buffered until
 * the attempt ends), state, streams, a logger bound to the trace and step, the trigger, and env.
 * @module
 */
import type { EmitEvent, FlowContext, Logger, StateManager, Streams, TriggerInfo } from '../sdk/context-types'
import { EmitError } from '../sdk/errors'
import type { StepflareEnv } from './env'
import { createLogger } from './logger'
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

export function createFlowContext(scope: RunScope): FlowContext<EmitEvent, StepflareEnv> {
  const { rt, env, traceId, flows, step, trigger, recorder } = scope
  let built: Logger | undefined
  const log = () => {
    built ??= createLogger({ traceId, step: step.model.name, flows }, (r) => recorder.log(r), env.LOG_LEVEL)
    return built
  }
  const emit = async (event: EmitEvent) => {
    if (!event || typeof event !== 'object' || typeof event.topic !== 'string') {
      throw new EmitError(`emit: expected { topic, data }, found ${JSON.stringify(event)}`)
    }
    if (!mayEmit(step, event.topic)) {
      log().error('invalid emit: topic is not in the step emits', { topic: event.topic, emits: step.model.emits.map((e) => e.topic) })
      return
    }
    const fifo = rt.subscribersOf(event.topic).find((s) => s.trigger.queue.type === 'fifo')
    if (fifo && !event.messageGroupId) {
      throw new EmitError(`emit ${JSON.stringify(event.topic)}: step ${fifo.step.model.name} is a FIFO subscriber, so the event needs a messageGroupId`)
    }
    if (!recorder.emit({ topic: event.topic, data: event.data, ...(event.messageGroupId ? { messageGroupId: event.messageGroupId } : {}) })) {
      log().warn('emit after the attempt ended is dropped', { topic: event.topic })
    }
  }
  let state: StateManager | undefined
  let streams: Streams | undefined
  const ctx: FlowContext<EmitEvent, StepflareEnv> & { [RECORDER]: RunRecorder } = {
    traceId,
    flows,
    emit,
    enqueue: emit,
    // Built on first use: most API handlers touch neither.
    get state() {
      state ??= createStateManager(env, (op) => recorder.stateOp(op))
      return state
    },
    get streams() {
      streams ??= createStreams(env, rt.streams, (op) => recorder.streamOp(op))
      return streams
    },
    // Built on first use too: a handler that logs nothing allocates no logger.
    get logger() {
      return log()
    },
    trigger,
    env,
    // For the Python bridge, which reports the state operations the Python handler made.
    [RECORDER]: recorder,
  }
  return ctx
}
