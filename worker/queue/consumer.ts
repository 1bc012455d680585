/**
 * The queue consumer: runs the subscribing step of each message in the message's trace. The trace
 * object decides whether an attempt may start (duplicates are skipped), and receives its outcome:
 * completed (emits committed), failed (retried with backoff) or dead (dead letters).
 * @module
 */

import type { SerializedError } from '../../objects/trace/records'
import type { BeginResult } from '../../objects/trace-object'
import { serializeError, ValidationError } from '../../sdk/errors'
import { checkSchema } from '../../sdk/schema-input'
import { createFlowContext } from '../context'
import { type StepflareEnv, traceStub } from '../env'
import { RunRecorder } from '../recorder'
import { runAttempt } from '../run-attempt'
import type { Runtime } from '../runtime'
import { backoffMs } from './backoff'
import { type EventMessage, isEventMessage } from './messages'

const log = (level: string, msg: string, meta: Record<string, unknown>) =>
  console[level === 'error' ? 'error' : 'log'](JSON.stringify({ level, time: Date.now(), msg, ...meta }))

export async function handleQueue(batch: MessageBatch<unknown>, env: StepflareEnv, rt: Runtime): Promise<void> {
  if (batch.queue === env.STEPFLARE_DEAD_LETTER_QUEUE) {
    await Promise.all(batch.messages.map((m) => recordPlatformDeadLetter(m, env)))
    return
  }
  if (env.STEPFLARE_EVENTS_QUEUE && batch.queue !== env.STEPFLARE_EVENTS_QUEUE) {
    // Not ours: never acknowledge what nothing handled, so the queue keeps (and retries) it.
    log('error', 'no handler for this queue in the stepflare Worker; messages are left for retry', { queue: batch.queue, count: batch.messages.length })
    batch.retryAll({ delaySeconds: 60 })
    return
  }
  await Promise.all(
    batch.messages.map(async (m) => {
      try {
        await handleMessage(m, env, rt)
        m.ack()
      } catch (err) {
        // The trace object could not be reached: let the queue deliver again (begin() dedupes).
        log('error', 'event delivery failed before the step ran; the queue will retry it', { error: serializeError(err), body: m.body })
        m.retry({ delaySeconds: 1 })
      }
    }),
  )
}

async function recordPlatformDeadLetter(m: Message<unknown>, env: StepflareEnv): Promise<void> {
  if (isEventMessage(m.body)) {
    const error: SerializedError = { name: 'QueueDeadLetter', message: 'the queue dead-lettered this message after its own retries' }
    await traceStub(env, m.body.traceId).deadLetter(m.body.deliveryId, null, error, 'platform')
  }
  m.ack()
}

async function handleMessage(m: Message<unknown>, env: StepflareEnv, rt: Runtime): Promise<void> {
  if (!isEventMessage(m.body)) {
    log('error', 'dropping a queue message that is not a stepflare event', { body: m.body })
    return
  }
  const msg: EventMessage = m.body
  const trace = traceStub(env, msg.traceId)
  const sub = rt.subscription(msg.step, msg.topic)
  const step = sub?.step
  const q = sub?.trigger.queue
  const leaseMs = step?.model.timeoutMs ? step.model.timeoutMs + 10_000 : (q?.visibilityTimeout ?? 900) * 1000
  const begun = (await trace.begin(msg, leaseMs)) as BeginResult
  if (!begun.run) return
  const triggerInfo = { type: 'queue' as const, topic: msg.topic }
  const recorder = new RunRecorder(msg.step, triggerInfo, begun.attempt)
  if (!sub || !step || !q) {
    const error = { name: 'StepNotFoundError', message: `no step ${JSON.stringify(msg.step)} subscribes to ${JSON.stringify(msg.topic)} any more` }
    await trace.deadLetter(msg.deliveryId, recorder.finish('dead', error), error, 'step-missing')
    return
  }
  const ctx = createFlowContext({ rt, env, traceId: msg.traceId, flows: begun.flows, step, trigger: triggerInfo, recorder })
  let input = begun.data
  if (sub.trigger.input) {
    const checked = checkSchema(sub.trigger.input, input)
    if (!checked.ok) {
      const error = serializeError(new ValidationError(`event data for ${step.model.name} failed its input schema`, checked.issues))
      ctx.logger.error('invalid event input: dead-lettered without retries', { error })
      await trace.deadLetter(msg.deliveryId, recorder.finish('dead', error), error, 'invalid-input')
      return
    }
    input = checked.data
  }
  if (sub.trigger.condition && !(await sub.trigger.condition(input, ctx))) {
    await trace.skip(msg.deliveryId, { ...recorder.finish('skipped'), reason: 'trigger condition not met' })
    return
  }
  const outcome = await runAttempt(() => step.handler?.(input, ctx), step.model.timeoutMs)
  if (outcome.ok) {
    const run = recorder.finish('completed')
    await trace.commit({
      traceId: msg.traceId,
      flows: begun.flows,
      entry: { step: step.model.name, kind: 'event' },
      run,
      emits: recorder.emits,
      deliveryId: msg.deliveryId,
    })
    return
  }
  const error = serializeError(outcome.error)
  const last = begun.attempt > q.maxRetries
  if (last) {
    ctx.logger.error('step failed on its last attempt: dead-lettered', { error, attempt: begun.attempt })
    await trace.deadLetter(msg.deliveryId, recorder.finish('dead', error), error, 'retries-exhausted')
    return
  }
  const delay = backoffMs(q, begun.attempt, rt.config.queue?.maxBackoffMs)
  ctx.logger.warn('step failed; retrying', { error, attempt: begun.attempt, retryInMs: delay, nextAttemptAt: Date.now() + delay })
  await trace.fail(msg.deliveryId, recorder.finish('failed', error), delay)
}
