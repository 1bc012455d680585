/**
 * The queue consumer: runs the subscribing step of each message in the message's trace. The trace
 * shard decides whether an attempt may start (duplicates are skipped), and receives its outcome:
 * completed (emits committed), failed (retried with backoff), dead (dead letters) or skipped.
 * A batch's messages are grouped by trace shard, so one call begins a group and one call (per
 * moment the runs end) settles it; a message is acknowledged only once its outcome is recorded.
 *
 * A run that completes continues its chain here, at once: the settle call begins the deliveries
 * its emits created (up to a budget) and the consumer runs them in the same invocation, so a
 * step's downstream starts when the step ends — not when the queue hands over the next batch,
 * which waits for the slowest run of this one (Miniflare's local queue delivers one batch at a
 * time). Those deliveries have no queue message: if this invocation dies, their lease runs out and
 * the shard sends them as usual. Retries, FIFO and delayed deliveries always go through the queue.
 * @module
 */

import type { BeginRequest, BeginResult, BeginStarted, ClaimedDelivery, Outcome, SettleResult } from '../../objects/trace/outcomes'
import type { SerializedError } from '../../objects/trace/records'
import { traceShardName } from '../../objects/trace/shards'
import { serializeError, ValidationError } from '../../sdk/errors'
import { checkSchema } from '../../sdk/schema-input'
import { createFlowContext } from '../context'
import { type StepflareEnv, traceShards, traceStub } from '../env'
import { RunRecorder } from '../recorder'
import { runAttempt } from '../run-attempt'
import type { Runtime } from '../runtime'
import { backoffMs } from './backoff'
import { leaseMs } from './lease'
import { type EventMessage, isEventMessage } from './messages'
import { Settler } from './settler'

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
  const shards = traceShards(env)
  const groups = new Map<string, Message<EventMessage>[]>()
  for (const m of batch.messages) {
    if (!isEventMessage(m.body)) {
      log('error', 'dropping a queue message that is not a stepflare event', { body: m.body })
      m.ack()
      continue
    }
    const shard = traceShardName(m.body.traceId, shards)
    const group = groups.get(shard)
    if (group) group.push(m as Message<EventMessage>)
    else groups.set(shard, [m as Message<EventMessage>])
  }
  await Promise.all([...groups].map(([shard, messages]) => runShardGroup(env.STEPFLARE_TRACE.getByName(shard), messages, env, rt)))
}

type Shard = ReturnType<StepflareEnv['STEPFLARE_TRACE']['getByName']>

/**
 * How much of a chain one queue invocation continues itself before it leaves the rest to the queue.
 * Bounded in time too: continued runs share the invocation's CPU limit, and an invocation the
 * platform ends takes its continued runs with it (they come back when their lease ends).
 */
export const INLINE_RUNS = 1000
export const INLINE_MS = 15_000
/** New deliveries one settle call may begin for this invocation. */
const CLAIM_PER_SETTLE = 32

class InlineBudget {
  private left = INLINE_RUNS
  private readonly until = Date.now() + INLINE_MS

  take(): number {
    if (Date.now() > this.until) return 0
    const n = Math.min(CLAIM_PER_SETTLE, this.left)
    this.left -= n
    return n
  }

  giveBack(n: number): void {
    this.left += n
  }
}

async function runShardGroup(shard: Shard, messages: Message<EventMessage>[], env: StepflareEnv, rt: Runtime): Promise<void> {
  const retry = (m: Message<EventMessage>, err: unknown) => {
    // The trace shard could not be reached: let the queue deliver again (begin dedupes).
    log('error', 'event delivery could not be recorded; the queue will retry it', { error: serializeError(err), body: m.body })
    m.retry({ delaySeconds: 1 })
  }
  let begun: BeginResult[]
  try {
    begun = (await shard.beginMany(messages.map((m) => beginRequest(m.body, rt)))) as BeginResult[]
  } catch (err) {
    for (const m of messages) retry(m, err)
    return
  }
  const budget = new InlineBudget()
  const settler = new Settler<Outcome, SettleResult>(async (outcomes) => {
    const claim = budget.take()
    const results = (await shard.settleMany(outcomes, claim)) as SettleResult[]
    budget.giveBack(claim - results.reduce((n, r) => n + (r.claimed?.length ?? 0), 0))
    return results
  })
  const running: [Message<EventMessage>, BeginStarted][] = []
  messages.forEach((m, i) => {
    const b = begun[i]
    if (b?.run) running.push([m, b])
    else m.ack()
  })
  settler.started(running.length)
  const chains: Promise<void>[] = []
  /** Runs a begun delivery, settles it, and continues with what its emits created. */
  const run = async (msg: EventMessage, b: BeginStarted, m?: Message<EventMessage>): Promise<void> => {
    const outcome = await runDelivery(msg, b, env, rt)
    let result: SettleResult | undefined
    try {
      result = await settler.add(outcome)
      m?.ack()
    } catch (err) {
      if (m) retry(m, err)
      // Continued here without a message: its lease runs out and the shard sends it again.
      else
        log('error', 'a continued delivery could not be recorded; it runs again when its lease ends', { error: serializeError(err), delivery: msg.deliveryId })
      return
    }
    const claimed = result?.claimed ?? ([] as ClaimedDelivery[])
    settler.started(claimed.length)
    for (const c of claimed) chains.push(run(c.msg, c.begun))
  }
  for (const [m, b] of running) chains.push(run(m.body, b, m))
  // Chains grow while they run: wait until none is left.
  for (let done = 0; done < chains.length; done++) await chains[done]
}

function beginRequest(msg: EventMessage, rt: Runtime): BeginRequest {
  return { msg, leaseMs: leaseMs(rt, msg.step, msg.topic) }
}

async function recordPlatformDeadLetter(m: Message<unknown>, env: StepflareEnv): Promise<void> {
  if (isEventMessage(m.body)) {
    const error: SerializedError = { name: 'QueueDeadLetter', message: 'the queue dead-lettered this message after its own retries' }
    await traceStub(env, m.body.traceId).deadLetter(m.body.deliveryId, null, error, 'platform')
  }
  m.ack()
}

const CONDITION_FALSE = Symbol('condition false')

/** Runs one begun delivery's handler (its trigger condition first) and says how it ended. */
async function runDelivery(msg: EventMessage, begun: BeginStarted, env: StepflareEnv, rt: Runtime): Promise<Outcome> {
  const sub = rt.subscription(msg.step, msg.topic)
  // A state or stream trigger's change arrives on its internal topic; the handler sees its own kind.
  const triggerInfo = sub?.source ? { type: sub.source.type } : { type: 'queue' as const, topic: msg.topic }
  const recorder = new RunRecorder(msg.step, triggerInfo, begun.attempt)
  const deliveryId = msg.deliveryId
  if (!sub) {
    const error = { name: 'StepNotFoundError', message: `no step ${JSON.stringify(msg.step)} subscribes to ${JSON.stringify(msg.topic)} any more` }
    return { kind: 'dead', deliveryId, run: recorder.finish('dead', error), error, reason: 'step-missing' }
  }
  const { step, trigger } = sub
  const ctx = createFlowContext({ rt, env, traceId: msg.traceId, flows: begun.flows, step, trigger: triggerInfo, recorder })
  let input = begun.data
  if (trigger.input) {
    const checked = checkSchema(trigger.input, input)
    if (!checked.ok) {
      const error = serializeError(new ValidationError(`event data for ${step.model.name} failed its input schema`, checked.issues))
      ctx.logger.error('invalid event input: dead-lettered without retries', { error })
      return { kind: 'dead', deliveryId, run: recorder.finish('dead', error), error, reason: 'invalid-input' }
    }
    input = checked.data
  }
  const checkedInput = input
  const outcome = await runAttempt(async () => {
    if (trigger.condition && !(await trigger.condition(checkedInput, ctx))) return CONDITION_FALSE
    return step.handler?.(checkedInput, ctx)
  }, step.model.timeoutMs)
  if (outcome.ok && outcome.value === CONDITION_FALSE) {
    return { kind: 'skipped', deliveryId, run: { ...recorder.finish('skipped'), reason: 'trigger condition not met' } }
  }
  if (outcome.ok) {
    return {
      kind: 'completed',
      traceId: msg.traceId,
      flows: begun.flows,
      entry: { step: step.model.name, kind: 'event' },
      run: recorder.finish('completed'),
      emits: recorder.emits,
      deliveryId,
    }
  }
  const error = serializeError(outcome.error)
  if (begun.attempt > trigger.queue.maxRetries) {
    ctx.logger.error('step failed on its last attempt: dead-lettered', { error, attempt: begun.attempt })
    return { kind: 'dead', deliveryId, run: recorder.finish('dead', error), error, reason: 'retries-exhausted' }
  }
  const delay = backoffMs(trigger.queue, begun.attempt, rt.config.queue?.maxBackoffMs)
  ctx.logger.warn('step failed; retrying', { error, attempt: begun.attempt, retryInMs: delay, nextAttemptAt: Date.now() + delay })
  return { kind: 'failed', deliveryId, run: recorder.finish('failed', error), retryInMs: delay }
}
