import { describe, expect, it } from 'vitest'
import type { EmitEvent, FlowContext } from '../../sdk/context-types'
import { HandlerTimeoutError } from '../../sdk/errors'
import { PythonBridgeConfigError, PythonStepError } from './errors'
import type { PythonTransport } from './invoke'
import type { InvokeRequest, InvokeResponse } from './protocol'
import { createPythonHandler, type PythonBridge, pythonStepModule } from './python-step'
import { decodeClaims } from './token'

function fakeCtx() {
  const emits: EmitEvent[] = []
  const logs: unknown[] = []
  const ctx = {
    traceId: 'ABCDE-1',
    flows: ['scoring'],
    emit: async (e: EmitEvent) => {
      emits.push(e)
    },
    logger: { log: (r: unknown) => logs.push(r) },
    env: { PY_SECRET: 'python-secret-0123456789' },
  } as unknown as FlowContext
  return { ctx, emits, logs }
}

function bridgeAnswering(answer: (req: InvokeRequest) => InvokeResponse, seen: InvokeRequest[] = [], stateOps: unknown[] = []): PythonBridge {
  const transport: PythonTransport = {
    fetch: async (req) => {
      const body = (await req.json()) as InvokeRequest
      seen.push(body)
      return Response.json(answer(body))
    },
  }
  return {
    connect: (env) => ({ transport, secret: env.PY_SECRET as string, callbackUrl: 'http://worker/__stepflare/python/callback' }),
    streams: ['todo'],
    onStateOps: (_ctx, ops) => stateOps.push(...ops),
  }
}

const ok = (extra: Partial<InvokeResponse> = {}): InvokeResponse => ({ ok: true, result: null, emits: [], logs: [], stateOps: [], ...extra }) as InvokeResponse

describe('createPythonHandler', () => {
  it('invokes the runner, then replays logs and re-emits through the context', async () => {
    const seen: InvokeRequest[] = []
    const stateOps: unknown[] = []
    const bridge = bridgeAnswering(
      () =>
        ok({
          result: 'done',
          emits: [{ topic: 'order.scored', data: { score: 7 } }],
          logs: [{ level: 'info', time: 1, msg: 'scored', score: 7 }],
          stateOps: [{ op: 'set', group: 'ABCDE-1', key: 'score', at: 1 }],
        }),
      seen,
      stateOps,
    )
    const handler = createPythonHandler(
      { name: 'ScoreOrder', file: 'steps/score_order_step.py', module: 'steps.score_order_step', kind: 'event', timeoutMs: 10_000 },
      bridge,
    )
    const { ctx, emits, logs } = fakeCtx()
    expect(await handler({ id: 'o1' }, ctx)).toBe('done')
    expect(emits).toEqual([{ topic: 'order.scored', data: { score: 7 } }])
    expect(logs).toEqual([{ level: 'info', time: 1, msg: 'scored', score: 7 }])
    expect(stateOps).toEqual([{ op: 'set', group: 'ABCDE-1', key: 'score', at: 1 }])
    const req = seen[0]!
    expect(req).toMatchObject({
      step: 'ScoreOrder',
      file: 'steps/score_order_step.py',
      module: 'steps.score_order_step',
      kind: 'event',
      input: { id: 'o1' },
      traceId: 'ABCDE-1',
      flows: ['scoring'],
      streams: ['todo'],
      timeoutMs: 10_000,
    })
    const claims = decodeClaims(req.token.split('.')[0]!)
    expect(claims).toMatchObject({ inv: req.invocationId, step: 'ScoreOrder', trace: 'ABCDE-1' })
  })

  it('throws the Python error with its traceback and emits nothing', async () => {
    const stack = 'Traceback (most recent call last):\n  File "steps/explode_step.py", line 16, in handler\nRuntimeError: boom\n'
    const bridge = bridgeAnswering(() => ({
      ok: false,
      error: { name: 'RuntimeError', message: 'boom', stack },
      logs: [{ level: 'warn', time: 1, msg: 'about to explode' }],
      stateOps: [],
    }))
    const { ctx, emits, logs } = fakeCtx()
    const run = createPythonHandler({ name: 'Explode', file: 'steps/explode_step.py', kind: 'event' }, bridge)({}, ctx) as Promise<unknown>
    const err = (await run.catch((e: unknown) => e)) as PythonStepError
    expect(err).toBeInstanceOf(PythonStepError)
    expect(err.message).toBe('RuntimeError: boom')
    expect(err.code).toBe('PYTHON_ERROR')
    expect(err.stack).toContain('explode_step.py", line 16')
    expect(emits).toEqual([])
    expect(logs).toHaveLength(1)
  })

  it('maps the runner timeout to HandlerTimeoutError', async () => {
    const bridge = bridgeAnswering(() => ({
      ok: false,
      error: { name: 'HandlerTimeoutError', code: 'HANDLER_TIMEOUT', message: 'handler exceeded its timeout of 1 s' },
      logs: [],
      stateOps: [],
    }))
    const { ctx } = fakeCtx()
    await expect(createPythonHandler({ name: 'S', file: 's_step.py', kind: 'event', timeoutMs: 1000 }, bridge)({}, ctx)).rejects.toThrow(HandlerTimeoutError)
  })

  it('accepts the classic cron call with the context first', async () => {
    const seen: InvokeRequest[] = []
    const { ctx } = fakeCtx()
    await createPythonHandler(
      { name: 'Nightly', file: 'steps/nightly_step.py', kind: 'cron' },
      bridgeAnswering(() => ok(), seen),
    )(ctx)
    expect(seen[0]).toMatchObject({ kind: 'cron', input: null, timeoutMs: 300_000 })
  })
})

describe('pythonStepModule', () => {
  const bridge = bridgeAnswering(() => ok())
  it('builds {config, handler} from a configs entry', () => {
    const m = pythonStepModule(
      { file: 'steps/a_step.py', module: 'steps.a_step', config: { type: 'api', name: 'A', path: '/a', method: 'GET', emits: [] } },
      bridge,
    )
    expect(typeof m.handler).toBe('function')
    expect(pythonStepModule({ file: 'steps/n_step.py', config: { type: 'noop', name: 'N' } }, bridge).handler).toBeUndefined()
    expect(() => pythonStepModule({ file: 'steps/t_step.py', config: { name: 'T', triggers: [] } }, bridge)).toThrow(PythonBridgeConfigError)
    expect(() => pythonStepModule({ file: 'steps/t_step.py', config: { name: 'T', triggers: [] } }, bridge)).toThrow(
      'steps/t_step.py config.type: expected "api", "event", "cron" or "noop" for a Python step, found undefined',
    )
  })
})
