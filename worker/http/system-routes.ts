/**
 * System routes under `/__stepflare`: health, traces, emit (also Motia's `POST /emit`), recover,
 * state, dead letters, cron. Open in `stepflare dev`; in production only with the bearer token
 * held in the `STEPFLARE_SYSTEM_TOKEN` secret, and otherwise 404 as if they did not exist.
 * @module
 */
import type { Context, Hono } from 'hono'
import type { DeadLetter } from '../../objects/trace/records'
import { stateChangeSink } from '../change-triggers'
import { runCronStep } from '../cron/run-cron'
import { emitFromOutside } from '../emit-outside'
import { allTraceStubs, indexStub, type StepflareEnv, traceStub } from '../env'
import { checkPayload, isPayloadLimitError } from '../payload-limits'
import { CALLBACK_PATH } from '../python/bridge'
import type { Runtime } from '../runtime'
import { createStateManager, stateTarget } from '../state-client'
import { newTraceId } from '../trace-id'
import { listTraces, readTrace } from '../trace-list'
import { pythonCallback } from './python-callback'
import { type ParamSpec, type ParsedQuery, parseQuery } from './query-params'
import { queueCounts } from './queue-counts'
import { jsonError } from './response'
import { systemGuard } from './system-guard'

type Ctx = Context<{ Bindings: StepflareEnv }>

const TRACE_QUERY = {
  limit: { kind: 'int', min: 1, max: 1000 },
  status: { kind: 'enum', values: ['running', 'completed', 'failed'] },
  step: { kind: 'string' },
  flow: { kind: 'string' },
  since: { kind: 'int', min: 0, max: 8.64e15 },
} as const satisfies Record<string, ParamSpec>

const DLQ_QUERY = {
  step: { kind: 'string' },
  topic: { kind: 'string' },
  traceId: { kind: 'string' },
  limit: { kind: 'int', min: 1, max: 10_000 },
} as const satisfies Record<string, ParamSpec>

function dlqFilter(c: Ctx): ParsedQuery<typeof DLQ_QUERY> {
  return parseQuery(c.req.url, DLQ_QUERY, { trace: 'traceId' })
}

/** State written from outside any step (the workbench, `curl`): its changes fire state triggers in a new trace. */
function outsideState(env: StepflareEnv, rt: Runtime) {
  return createStateManager(env, undefined, stateChangeSink(env, rt, { traceId: newTraceId(), flows: [], fresh: true }))
}

const invalidBody = (issues: { path: string; message: string }[]) => jsonError(400, { error: 'Invalid request body', issues })

/** A JSON body, or the 400/413 that says why not (malformed, too deep, too large). */
async function readJson(c: Ctx, what: string): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  const text = await c.req.text()
  if (!text) return { ok: true, value: undefined }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    return { ok: false, response: invalidBody([{ path: '', message: `not valid JSON: ${(err as Error).message}` }]) }
  }
  try {
    checkPayload(value, what)
  } catch (err) {
    if (!isPayloadLimitError(err)) throw err
    return { ok: false, response: jsonError(err.status, { error: 'Invalid request body', issues: [{ path: '', message: err.message }], limit: err.limit }) }
  }
  return { ok: true, value }
}

export function mountSystemRoutes(app: Hono<{ Bindings: StepflareEnv }>, rt: Runtime): void {
  app.use('/__stepflare', systemGuard)
  app.use('/__stepflare/*', systemGuard)
  app.use('/emit', systemGuard)

  app.post(CALLBACK_PATH, (c) => pythonCallback(c, rt))

  app.get('/__stepflare/health', (c) => c.json({ ok: true, steps: rt.steps.size }))

  // Under `stepflare dev`, stacks point into the dev bundle; the CLI maps them to the original files.
  app.post('/__stepflare/dev/stack', async (c) => {
    const body = await readJson(c, 'the stack')
    const stack = body.ok ? (body.value as { stack?: unknown } | undefined)?.stack : undefined
    if (typeof stack !== 'string') return jsonError(400, { error: 'Invalid request body', issues: [{ path: 'stack', message: 'expected a string' }] })
    const tools = c.env.STEPFLARE_DEV_TOOLS_URL
    if (!tools) return c.json({ stack, mapped: false })
    const res = await fetch(`${tools}/stack`, { method: 'POST', body: JSON.stringify({ stack }) }).catch(() => null)
    return res?.ok ? c.json({ ...((await res.json()) as { stack: string }), mapped: true }) : c.json({ stack, mapped: false })
  })

  app.get('/__stepflare/traces', async (c) => {
    const q = parseQuery(c.req.url, TRACE_QUERY)
    if (!q.ok) return q.response
    return c.json({ traces: await listTraces(c.env, q.values) })
  })

  app.get('/__stepflare/traces/:traceId', async (c) => {
    const id = c.req.param('traceId')
    const trace = await readTrace(c.env, id)
    return trace ? c.json(trace) : jsonError(404, { error: 'Trace not found', traceId: c.req.param('traceId') })
  })

  const emit = async (c: Ctx) => {
    const body = await readJson(c, 'the event')
    if (!body.ok) return body.response
    if (body.value === null || typeof body.value !== 'object' || Array.isArray(body.value)) {
      return invalidBody([{ path: '', message: 'expected a JSON object {topic, data, messageGroupId?}' }])
    }
    return emitFromOutside(c, rt, body.value as Record<string, unknown>)
  }
  app.post('/__stepflare/emit', emit)
  app.post('/emit', emit)

  app.post('/__stepflare/recover', async (c) => {
    const counts = await Promise.all(allTraceStubs(c.env).map((shard) => shard.recover()))
    return c.json({ shards: counts.length, redispatched: counts.reduce((a, b) => a + b, 0) })
  })

  app.get('/__stepflare/state', async (c) => c.json({ groups: await indexStub(c.env).listStateGroups() }))
  app.get('/__stepflare/state/:group', async (c) => {
    const group = c.req.param('group')
    return c.json({ group, items: await stateTarget(c.env, group).stateEntries(group) })
  })
  app.put('/__stepflare/state/:group/:key', async (c) => {
    const { group, key } = c.req.param()
    const body = await readJson(c, `the value of state ${group}/${key}`)
    if (!body.ok) return body.response
    if (body.value === undefined) return invalidBody([{ path: '', message: 'expected a JSON value (use DELETE to remove a key)' }])
    return c.json({ group, key, value: await outsideState(c.env, rt).set(group, key, body.value) })
  })
  app.delete('/__stepflare/state/:group/:key', async (c) => {
    const { group, key } = c.req.param()
    return c.json({ group, key, deleted: await outsideState(c.env, rt).delete(group, key) })
  })

  app.get('/__stepflare/queues', async (c) => c.json(await queueCounts(c.env, rt)))

  app.get('/__stepflare/dlq', async (c) => {
    const q = dlqFilter(c)
    if (!q.ok) return q.response
    return c.json({ deadLetters: await indexStub(c.env).listDeadLetters(q.values) })
  })

  const redrive = async (env: StepflareEnv, id: string): Promise<boolean> => {
    const index = indexStub(env)
    const dl = (await index.getDeadLetter(id)) as DeadLetter | null
    if (!dl) return false
    // The dead letter goes along: it restores the delivery if the trace's record was purged.
    const ok = await traceStub(env, dl.traceId).redrive(dl.deliveryId, dl)
    if (ok) await index.removeDeadLetter(id)
    return ok
  }
  // `POST /__stepflare/dlq/redrive` (every dead letter matching the filter) is served by a
  // `/dlq/:action` route: a static `redrive` beside `/dlq/:id/redrive` is a shape Hono's
  // RegExpRouter cannot compile, and one such pair makes the whole app fall back to its slower
  // TrieRouter, for every request (test/workers/router.test.ts keeps the app on it).
  app.post('/__stepflare/dlq/:action', async (c) => {
    if (c.req.param('action') !== 'redrive') return jsonError(404, { error: 'Not Found', method: c.req.method, path: c.req.path })
    const q = dlqFilter(c)
    if (!q.ok) return q.response
    const list = (await indexStub(c.env).listDeadLetters(q.values)) as DeadLetter[]
    const results = await Promise.all(list.map((dl) => redrive(c.env, dl.id)))
    return c.json({ redriven: results.filter(Boolean).length })
  })
  app.post('/__stepflare/dlq/:id/redrive', async (c) => {
    const ok = await redrive(c.env, c.req.param('id'))
    return ok ? c.json({ redriven: 1 }) : jsonError(404, { error: 'Dead letter not found', id: c.req.param('id') })
  })
  app.delete('/__stepflare/dlq/:id', async (c) => {
    const ok = await indexStub(c.env).removeDeadLetter(c.req.param('id'))
    return ok ? c.json({ discarded: 1 }) : jsonError(404, { error: 'Dead letter not found', id: c.req.param('id') })
  })
  app.delete('/__stepflare/dlq', async (c) => {
    const q = dlqFilter(c)
    if (!q.ok) return q.response
    const index = indexStub(c.env)
    const list = (await index.listDeadLetters(q.values)) as DeadLetter[]
    await Promise.all(list.map((dl) => index.removeDeadLetter(dl.id)))
    return c.json({ discarded: list.length })
  })

  app.get('/__stepflare/cron', async (c) => {
    const out = await Promise.all(
      rt.crons.map(async (b) => ({
        step: b.step.model.name,
        expression: b.trigger.expression,
        ...(await c.env.STEPFLARE_SCHEDULER.getByName(b.step.model.name).info()),
      })),
    )
    return c.json({ crons: out })
  })
  app.post('/__stepflare/cron/:step/run', async (c) => {
    const binding = rt.crons.find((b) => b.step.model.name === c.req.param('step'))
    if (!binding) return jsonError(404, { error: 'Cron step not found', step: c.req.param('step') })
    return c.json(await runCronStep(rt, c.env, binding, 'manual'))
  })
}
