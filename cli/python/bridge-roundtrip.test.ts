/**
 * The whole bridge across the language boundary, without workerd: the fixture's TS → Python → TS
 * flow, with the real runner, `pythonStepModule` + `invokePython` in front of it and
 * `handleCallback` serving its state callbacks from an in-memory StateManager.
 */
import { spawn } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EmitEvent, FlowContext, MotiaStream } from '../../sdk/context-types'
import { handleCallback } from '../../worker/python/callback-handler'
import { PythonBridgeConfigError, PythonStepError } from '../../worker/python/errors'
import { httpTransport, type PythonTransport } from '../../worker/python/invoke'
import { MemoryStateManager } from '../../worker/python/memory-state'
import { type PythonBridge, pythonStepModule } from '../../worker/python/python-step'
import { MemoryReplayGuard } from '../../worker/python/replay-guard'
import { claimsPart, signCallback } from '../../worker/python/token'
import { type PythonWorkerRpc, workersPythonTransport } from '../../worker/python/workers-python'
import { pythonEnv } from './paths'
import { readPythonConfigs } from './read-configs'
import { type PythonRunner, startRunner } from './runner-process'

const FIXTURE = join(__dirname, '..', '..', 'examples', 'mixed-flow')
const SECRET = 'roundtrip-secret-0123456789'

type Handler = (input: unknown, ctx: FlowContext) => Promise<unknown>

describe('Python bridge round trip', () => {
  let runner: PythonRunner
  let server: Server
  let callbackUrl: string
  const state = new MemoryStateManager()
  // The fixture's ScoreOrder also sets an item of the `scores` stream.
  const streamItems = new Map<string, unknown>()
  const scores = {
    set: async (groupId: string, id: string, data: object) => {
      const item = { ...data, id }
      streamItems.set(`${groupId}/${id}`, item)
      return item
    },
  } as unknown as MotiaStream
  const replayGuard = new MemoryReplayGuard()
  const steps = new Map<string, Handler>()
  /** The invocation requests the Worker sent, as the runner received them. */
  const invocations: { invocationId: string; step: string; traceId: string; token: string }[] = []
  const recording = (transport: PythonTransport): PythonTransport => ({
    async fetch(request) {
      invocations.push(await request.clone().json())
      return transport.fetch(request)
    },
  })

  beforeAll(async () => {
    runner = await startRunner(FIXTURE, { onOutput: () => {}, secret: SECRET })
    server = createServer(async (req, res) => {
      const chunks: Buffer[] = []
      for await (const c of req) chunks.push(c as Buffer)
      const request = new Request(`http://127.0.0.1${req.url}`, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: Buffer.concat(chunks),
      })
      const response = await handleCallback(request, { secret: SECRET, replayGuard, state, streams: { scores } })
      res.writeHead(response.status, { 'content-type': 'application/json' }).end(await response.text())
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    callbackUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/__stepflare/python/callback`
    const bridge = (secret: string): PythonBridge => ({
      connect: () => ({ transport: recording(httpTransport(runner.url)), secret, callbackUrl }),
      onInvocationEnd: async (_ctx, invocationId, expiresAt) => replayGuard.end(invocationId, expiresAt),
    })
    const configs = await readPythonConfigs(FIXTURE)
    for (const entry of configs.steps) steps.set(String(entry.config.name), pythonStepModule(entry, bridge(SECRET)).handler as Handler)
    const score = configs.steps.find((s) => s.config.name === 'ScoreOrder')!
    steps.set('ScoreOrderForged', pythonStepModule(score, bridge('not-the-worker-secret-000')).handler as Handler)
    for (const name of ['validate_order.step.ts', 'record_score.step.ts']) {
      const mod = (await import(join(FIXTURE, 'steps', name))) as { config: { name: string }; handler: Handler }
      steps.set(mod.config.name, mod.handler)
    }
  }, 30_000)

  afterAll(async () => {
    await runner?.stop()
    server?.close()
  })

  function context(traceId: string, emits: EmitEvent[], logs: unknown[]): FlowContext {
    const log = (level: string) => (msg: string, meta?: object) => logs.push({ level, msg, ...meta })
    return {
      traceId,
      flows: ['scoring'],
      emit: async (e: EmitEvent) => {
        emits.push(e)
      },
      enqueue: async () => {},
      state,
      streams: {},
      logger: {
        info: log('info'),
        warn: log('warn'),
        error: log('error'),
        debug: log('debug'),
        log: (r: object) => logs.push(r),
        child: () => context(traceId, emits, logs).logger,
      },
      trigger: { type: 'queue' },
      env: {},
    } as unknown as FlowContext
  }

  it('runs ValidateOrder (TS) → ScoreOrder (Python) → RecordScore (TS) with shared state', async () => {
    const traceId = 'QWERT-1234567'
    const emits: EmitEvent[] = []
    const logs: { msg?: string }[] = []
    const ctx = context(traceId, emits, logs)
    const res = await steps.get('ValidateOrder')!({ body: { id: 'o1', amount: 40, items: ['a', 'b'] } }, ctx)
    expect(res).toMatchObject({ status: 202 })
    await steps.get('ScoreOrder')!(emits[0]!.data, ctx)
    expect(emits[1]).toEqual({ topic: 'order.scored', data: { id: 'o1', score: 50 } })
    expect(await state.get(traceId, 'score')).toEqual({ orderId: 'o1', score: 50 })
    expect(logs.map((l) => l.msg)).toContain('order scored')
    await steps.get('RecordScore')!(emits[1]!.data, ctx)
    expect(await state.get('scores', 'o1')).toEqual({ id: 'o1', score: 50, traceId })
    expect(streamItems.get('live/o1')).toEqual({ score: 50, orderId: 'o1', id: 'o1' })
  })

  it('a raising Python step throws its traceback and emits nothing', async () => {
    const emits: EmitEvent[] = []
    const logs: { msg?: string }[] = []
    const err = (await steps.get('Explode')!({ n: 1 }, context('EXPLO-1', emits, logs)).catch((e: unknown) => e)) as PythonStepError
    expect(err).toBeInstanceOf(PythonStepError)
    expect(err.message).toBe("RuntimeError: boom: {'n': 1}")
    expect(err.stack).toMatch(/explode_step\.py", line \d+, in handler/)
    expect(emits).toEqual([])
    expect(logs.map((l) => l.msg)).toEqual(['about to explode'])
  })

  it('the runner refuses an invocation not signed with its secret, before any handler runs', async () => {
    const traceId = 'FORGE-1234567'
    const err = (await steps.get('ScoreOrderForged')!({ id: 'o2', amount: 1 }, context(traceId, [], [])).catch((e: unknown) => e)) as Error
    expect(err).toBeInstanceOf(PythonBridgeConfigError)
    expect(err.message).toContain('BAD_SIGNATURE')
    expect(await state.get(traceId, 'score')).toBeNull()
  })

  it('a callback key dies when its invocation ends', async () => {
    const traceId = 'ENDED-1234567'
    await state.set(traceId, 'order', { id: 'o3', amount: 2, items: [] })
    await steps.get('ScoreOrder')!({ id: 'o3', amount: 2, items: [] }, context(traceId, [], []))
    const inv = invocations.find((i) => i.traceId === traceId)!
    const body = JSON.stringify({ invocationId: inv.invocationId, seq: 999, op: 'state.set', args: [traceId, 'late', 1], step: inv.step, traceId })
    const late = new Request('http://worker/__stepflare/python/callback', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-stepflare-claims': claimsPart(inv.token),
        'x-stepflare-signature': await signCallback(inv.token, body),
      },
      body,
    })
    const res = await handleCallback(late, { secret: SECRET, replayGuard, state })
    expect(res.status).toBe(410)
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'INVOCATION_ENDED' } })
    expect(await state.get(traceId, 'late')).toBeNull()
  })

  it('runs ScoreOrder on the Workers Python target: RPC-shaped invoke into the thread-less WorkersRunner', async () => {
    // CPython stands in for Pyodide: the same WorkersRunner and generated-entry shape, callbacks
    // through an async poster (urllib in a thread here, where the Python Worker uses its binding).
    const script = `
import asyncio, sys, urllib.error, urllib.request
sys.path.insert(0, sys.argv[1])
from stepflare_runner.workers import WorkersRunner
def post_sync(url, body, headers):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=body, headers=headers, method="POST")) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
async def post(url, body, headers):
    return await asyncio.to_thread(post_sync, url, body, headers)
runner = WorkersRunner(["steps/score_order_step.py"], poster=post)
async def main():
    loop = asyncio.get_running_loop()
    while line := await loop.run_in_executor(None, sys.stdin.readline):
        print(await runner.invoke(line), flush=True)
asyncio.run(main())
`
    const child = spawn('python3', ['-c', script, FIXTURE], { env: pythonEnv(), stdio: ['pipe', 'pipe', 'inherit'] })
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
    let queue = Promise.resolve('')
    const worker: PythonWorkerRpc = {
      invoke: (body) => {
        queue = queue.then(async () => {
          child.stdin.write(`${body}\n`)
          return (await lines.next()).value as string
        })
        return queue
      },
    }
    try {
      const score = (await readPythonConfigs(FIXTURE)).steps.find((s) => s.config.name === 'ScoreOrder')!
      const bridge: PythonBridge = {
        connect: (_env, runtime) => ({
          transport: runtime === 'workers' ? workersPythonTransport(worker) : httpTransport(runner.url),
          secret: SECRET,
          callbackUrl,
        }),
      }
      const handler = pythonStepModule({ ...score, runtime: 'workers' }, bridge).handler as Handler
      const traceId = 'WORKR-1234567'
      await state.set(traceId, 'order', { id: 'w1', amount: 10, items: [] })
      const emits: EmitEvent[] = []
      const logs: { msg?: string }[] = []
      await handler({ id: 'w1', amount: 10, items: [] }, context(traceId, emits, logs))
      expect(emits).toEqual([{ topic: 'order.scored', data: { id: 'w1', score: 10 } }])
      expect(await state.get(traceId, 'score')).toEqual({ orderId: 'w1', score: 10 })
      expect(streamItems.get('live/w1')).toEqual({ score: 10, orderId: 'w1', id: 'w1' })
      expect(logs.map((l) => l.msg)).toContain('order scored')
    } finally {
      child.kill()
    }
  }, 30_000)
})
