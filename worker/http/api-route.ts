/**
 * Serves one API step: parse the request, check `bodySchema` (400 with the issues, handler not
 * called), run middleware and handler in a fresh trace, map the response, commit the run.
 * @module
 */
import type { Context } from 'hono'
import { serializeError } from '../../sdk/errors'
import type { ApiRequest } from '../../sdk/handler-types'
import { checkSchema } from '../../sdk/schema-input'
import { commitRun } from '../commit'
import { createFlowContext } from '../context'
import type { StepflareEnv } from '../env'
import { isPayloadLimitError } from '../payload-limits'
import { RunRecorder } from '../recorder'
import { callWithTimeout } from '../run-attempt'
import type { RouteBinding, Runtime } from '../runtime'
import { newTraceId } from '../trace-id'
import { composeMiddleware } from './middleware'
import { BodyParseError, buildApiRequest, unsupportedBody } from './request'
import { isApiResponse, jsonError, toResponse } from './response'

export function apiRoute(rt: Runtime, { step, trigger }: RouteBinding) {
  const handler = step.handler
  if (!handler) throw new Error(`step ${step.model.name} has no handler`)
  const run = composeMiddleware(trigger.middleware, handler)
  const triggerInfo = { type: 'http' as const, method: trigger.method, path: trigger.path }
  const withParams = trigger.path.includes(':')
  const entry = { step: step.model.name, kind: 'api' }

  const bodyTypes = trigger.bodyTypes

  return async (c: Context<{ Bindings: StepflareEnv }>): Promise<Response> => {
    if (bodyTypes && c.req.raw.body) {
      const unsupported = unsupportedBody(c.req.raw, bodyTypes)
      if (unsupported) return jsonError(415, unsupported)
    }
    let req: ApiRequest
    try {
      const built = buildApiRequest(c, withParams)
      req = built instanceof Promise ? await built : built
    } catch (err) {
      if (err instanceof BodyParseError) return jsonError(400, { error: 'Invalid request body', issues: [{ path: '', message: err.message }] })
      if (isPayloadLimitError(err))
        return jsonError(err.status, { error: 'Invalid request body', issues: [{ path: '', message: err.message }], limit: err.limit })
      throw err
    }
    if (trigger.bodySchema) {
      const checked = checkSchema(trigger.bodySchema, req.body)
      if (!checked.ok) return jsonError(400, { error: 'Invalid request body', issues: checked.issues })
    }
    const traceId = newTraceId()
    const recorder = new RunRecorder(step.model.name, triggerInfo)
    const ctx = createFlowContext({ rt, env: c.env, traceId, flows: step.model.flows, step, trigger: triggerInfo, recorder })
    if (trigger.condition && !(await trigger.condition(req, ctx))) {
      return jsonError(404, { error: 'Not Found', reason: 'trigger condition not met' })
    }
    // Awaited here rather than through runAttempt, and called directly without a timeout: no
    // outcome object, closure or extra promise per request.
    const timeoutMs = step.model.timeoutMs
    let result: unknown
    let thrown: { error: unknown } | undefined
    try {
      result = await (timeoutMs ? callWithTimeout(() => run(req, ctx), timeoutMs) : run(req, ctx))
    } catch (err) {
      thrown = { error: err }
    }
    let response: Response
    let error: ReturnType<typeof serializeError> | undefined
    if (!thrown && isApiResponse(result)) {
      response = toResponse(result, { 'x-trace-id': traceId })
    } else {
      error = thrown ? serializeError(thrown.error) : { name: 'NoResponseError', message: 'the handler returned no response ({ status, body })' }
      ctx.logger.error('API handler failed', { error })
      // A payload refused at its limit is the request's fault, not the server's: say which limit.
      const limited = thrown && isPayloadLimitError(thrown.error) ? thrown.error : undefined
      response = limited
        ? jsonError(
            limited.status,
            { error: limited.status === 413 ? 'Payload Too Large' : 'Bad Request', message: limited.message, traceId },
            { 'x-trace-id': traceId },
          )
        : jsonError(500, { error: 'Internal server error', traceId }, { 'x-trace-id': traceId })
    }
    const record = recorder.finish(error ? 'failed' : 'completed', error)
    try {
      const committing = commitRun(
        c.env,
        c.executionCtx,
        {
          traceId,
          flows: step.model.flows,
          entry,
          run: record,
          emits: recorder.emits,
          fresh: true,
        },
        recorder.sharded,
      )
      if (committing) await committing
    } catch (err) {
      ctx.logger.error('events could not be committed', { error: serializeError(err) })
      return jsonError(503, { error: 'Events could not be recorded; nothing was emitted', traceId }, { 'x-trace-id': traceId })
    }
    return response
  }
}
