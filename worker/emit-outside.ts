/**
 * `POST /__stepflare/emit` (and Motia's `POST /emit`): an event from outside any step, in a new
 * trace (or the given one). Answers Motia's `{success, emitted}` plus the trace id.
 * @module
 */
import type { Context } from 'hono'
import { serializeError } from '../sdk/errors'
import type { StepflareEnv } from './env'
import { traceStub } from './env'
import { jsonError } from './http/response'
import { RunRecorder } from './recorder'
import type { Runtime } from './runtime'
import { newTraceId } from './trace-id'

export async function emitFromOutside(c: Context<{ Bindings: StepflareEnv }>, rt: Runtime, body: Record<string, unknown>): Promise<Response> {
  const { topic, data, messageGroupId } = body
  if (typeof topic !== 'string' || topic === '') {
    return jsonError(400, {
      error: 'Invalid request body',
      issues: [{ path: 'topic', message: `expected a non-empty string, found ${JSON.stringify(topic)}` }],
    })
  }
  if (messageGroupId !== undefined && typeof messageGroupId !== 'string') {
    return jsonError(400, { error: 'Invalid request body', issues: [{ path: 'messageGroupId', message: 'expected a string' }] })
  }
  const fifo = rt.subscribersOf(topic).find((s) => s.trigger.queue.type === 'fifo')
  if (fifo && !messageGroupId) {
    return jsonError(400, {
      error: 'Invalid request body',
      issues: [
        {
          path: 'messageGroupId',
          message: `step ${fifo.step.model.name} is a FIFO subscriber of ${JSON.stringify(topic)}, so the event needs a messageGroupId`,
        },
      ],
    })
  }
  const issues: { path: string; message: string }[] = []
  if (topic.length > 256) issues.push({ path: 'topic', message: `expected at most 256 characters, found ${topic.length}` })
  if (body.traceId !== undefined && (typeof body.traceId !== 'string' || body.traceId.length > 128))
    issues.push({ path: 'traceId', message: 'expected a trace id (a string of at most 128 characters)' })
  if (body.flows !== undefined && !(Array.isArray(body.flows) && body.flows.every((f) => typeof f === 'string')))
    issues.push({ path: 'flows', message: 'expected an array of flow names' })
  if (issues.length) return jsonError(400, { error: 'Invalid request body', issues })
  const traceId = typeof body.traceId === 'string' && body.traceId ? body.traceId : newTraceId()
  const flows = (body.flows as string[] | undefined) ?? []
  const trigger = { type: 'emit' as const, topic }
  const recorder = new RunRecorder('__emit', trigger)
  recorder.emit({ topic, data, ...(messageGroupId ? { messageGroupId } : {}) })
  try {
    const result = await traceStub(c.env, traceId).commit({
      traceId,
      flows,
      entry: { step: '__emit', kind: 'emit' },
      run: recorder.finish('completed'),
      emits: recorder.emits,
    })
    return c.json({ success: true, emitted: { topic, data }, traceId, deliveries: result.deliveries }, 200, { 'x-trace-id': traceId })
  } catch (err) {
    return jsonError(503, { error: 'The event could not be recorded', cause: serializeError(err).message })
  }
}
