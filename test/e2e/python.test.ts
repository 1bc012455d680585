import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DevServer, REPO, runCli, startDev, waitForTrace } from './dev-server'
import { eventType, openSocket } from './ws-client'

// The mixed-language flow under `stepflare dev`: ValidateOrder (TS) → ScoreOrder (Python) → RecordScore (TS).
const PORT = 8781
let dev: DevServer

beforeAll(async () => {
  dev = await startDev(join(REPO, 'examples/mixed-flow'), PORT)
})
afterAll(async () => {
  await dev?.stop()
})

describe('Python steps', () => {
  it('run in the same trace as TypeScript steps, sharing state, logs and streams', async () => {
    const ws = await openSocket(`ws://127.0.0.1:${PORT}/`)
    ws.send({ type: 'join', data: { streamName: 'scores', groupId: 'live', subscriptionId: 'watch' } })
    await ws.waitFor((f) => eventType(f) === 'sync')

    const r = await fetch(`${dev.url}/score`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'py-1', amount: 40, items: ['a', 'b'] }),
    })
    expect(r.status).toBe(202)
    const { traceId } = (await r.json()) as { traceId: string }
    const t = await waitForTrace(dev.url, traceId, (x) => x.status !== 'running', 30_000)
    expect(t.status).toBe('completed')
    expect(t.runs.map((x) => [x.step, x.status])).toEqual([
      ['ValidateOrder', 'completed'],
      ['ScoreOrder', 'completed'],
      ['RecordScore', 'completed'],
    ])
    const py = t.runs[1] as (typeof t.runs)[number] & { logs: { msg: string; traceId: string }[]; stateOps: { op: string; group: string }[] }
    expect(py.logs.map((l) => l.msg)).toContain('order scored')
    // TS wrote `order` and Python read it; Python wrote `score` and TS read it (RecordScore throws otherwise)
    expect(py.stateOps.map((o) => `${o.op}:${o.group === traceId ? 'trace' : o.group}`)).toEqual(['get:trace', 'set:trace'])
    const scores = (await (await fetch(`${dev.url}/__stepflare/state/scores`)).json()) as { items: { value: { score: number; traceId: string } }[] }
    expect(scores.items[0]?.value).toMatchObject({ score: 50, traceId })
    // the stream item set from Python reached the WebSocket subscriber
    const created = await ws.waitFor((f) => eventType(f) === 'create')
    expect((created.event as { data: unknown }).data).toEqual({ id: 'py-1', score: 50, orderId: 'py-1' })
    ws.close()
  })

  it('a Python handler that raises is retried, then dead-lettered with its traceback', async () => {
    const r = await fetch(`${dev.url}/__stepflare/emit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ topic: 'explode.requested', data: { attempt: 'x' } }),
    })
    const { traceId } = (await r.json()) as { traceId: string }
    const t = await waitForTrace(dev.url, traceId, (x) => x.status !== 'running', 30_000)
    expect(t.runs.filter((x) => x.step === 'Explode').map((x) => x.status)).toEqual(['failed', 'dead'])
    const { deadLetters } = (await (await fetch(`${dev.url}/__stepflare/dlq?traceId=${traceId}`)).json()) as {
      deadLetters: { error: { name: string; message: string; stack: string }; attempts: unknown[] }[]
    }
    expect(deadLetters).toHaveLength(1)
    expect(deadLetters[0]?.attempts).toHaveLength(2)
    expect(deadLetters[0]?.error.message).toContain("boom: {'attempt': 'x'}")
    expect(deadLetters[0]?.error.stack).toMatch(/Traceback \(most recent call last\):[\s\S]*explode_step\.py", line \d+, in handler[\s\S]*RuntimeError: boom/)
    // the emit made before the raise was never delivered
    expect(t.deliveries.filter((d) => d.step !== 'Explode')).toHaveLength(0)
  })

  it('refuses a forged context callback', async () => {
    const claims = Buffer.from(JSON.stringify({ v: 1, inv: 'x', step: 'ScoreOrder', trace: 'AAAAAA-1234567', exp: Date.now() + 60_000 })).toString('base64url')
    const r = await fetch(`${dev.url}/__stepflare/python/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-stepflare-claims': claims, 'x-stepflare-signature': `v1=${'0'.repeat(64)}` },
      body: JSON.stringify({ invocationId: 'x', seq: 1, op: 'state.get', args: ['g', 'k'], step: 'ScoreOrder', traceId: 'AAAAAA-1234567' }),
    })
    expect(r.status).toBe(401)
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe('BAD_SIGNATURE')
  })

  it('build emits the container configuration and verifies the bundle without Docker', async () => {
    const root = join(REPO, 'examples/mixed-flow')
    const r = await runCli(['build', '--root', root, '--json'])
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout.trim().split('\n').pop() as string) as { configPath: string; python: { dockerfile: string } }
    const config = JSON.parse(readFileSync(out.configPath, 'utf8')) as {
      containers: { class_name: string; instance_type: string }[]
      durable_objects: { bindings: { name: string }[] }
    }
    expect(config.containers[0]).toMatchObject({ class_name: 'StepflarePython', instance_type: 'basic' })
    expect(config.durable_objects.bindings.map((b) => b.name)).toContain('STEPFLARE_PYTHON')
    const dockerfile = readFileSync(out.python.dockerfile, 'utf8')
    expect(dockerfile).toContain('COPY steps /app/steps')
    // Its requirements.txt lists no packages: nothing to install, no pip needed in the base image.
    expect(dockerfile).toContain('# no packages in requirements.txt')
    expect(dockerfile).toMatch(/CMD \["python3", "-m", "stepflare_runner", "serve"/)
  })

  it('build bundles the Workers Python target for a step with runtime "workers" and binds it', async () => {
    const root = join(REPO, 'examples/mixed-flow')
    const r = await runCli(['build', '--root', root, '--json'])
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout.trim().split('\n').pop() as string) as {
      configPath: string
      pythonWorker: { name: string; configPath: string; outDir: string; steps: number }
    }
    expect(out.pythonWorker).toMatchObject({ name: 'stepflare-python-app-python', steps: 1 })
    const main = JSON.parse(readFileSync(out.configPath, 'utf8')) as { services: { binding: string; service: string }[] }
    expect(main.services).toContainEqual({ binding: 'STEPFLARE_PYTHON_WORKER', service: 'stepflare-python-app-python' })
    const worker = JSON.parse(readFileSync(out.pythonWorker.configPath, 'utf8')) as Record<string, unknown>
    expect(worker).toMatchObject({
      main: 'src/entry.py',
      compatibility_flags: ['python_workers'],
      services: [{ binding: 'STEPFLARE', service: 'stepflare-python-app' }],
    })
    // wrangler's dry run wrote every module of the Python Worker: the entry, the runner, the step and what it imports.
    for (const f of ['entry.py', 'stepflare_runner/workers.py', 'steps/score_order_step.py', 'src/services/scoring.py'])
      expect(existsSync(join(out.pythonWorker.outDir, f)), f).toBe(true)
    const entry = readFileSync(join(out.pythonWorker.outDir, 'entry.py'), 'utf8')
    expect(entry).toContain('WorkersRunner(["steps/score_order_step.py"])')
    expect(entry).toContain('class Default(WorkerEntrypoint)')
  })
})
