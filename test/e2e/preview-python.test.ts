/**
 * Python steps on the `container` target, for real: `stepflare preview` builds the image from the
 * generated Dockerfile (FROM an offline Debian base, docker-env.ts) and runs it with Docker. A TS →
 * Python → TS flow in one trace with state and stream callbacks; a Python failure retried, then
 * dead-lettered; the bridge secret in no command line, no output and no generated file or image.
 * Skipped, with a line saying why, only where Docker cannot start.
 */
import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI, REPO, type ServerProcess, spawnServer, tempDir } from './dev-server'
import { BASE_IMAGE, dockerForTests } from './docker-env'
import { eventType, openSocket } from './ws-client'

const PORT = 8899
const URL = `http://127.0.0.1:${PORT}`
const TOKEN = `py-${Math.random().toString(36).slice(2)}`
const bearer = { authorization: `Bearer ${TOKEN}` }
let root: string
let server: ServerProcess | undefined
let skipped: string | undefined

beforeAll(async () => {
  skipped = await dockerForTests()
  if (skipped) {
    console.warn(`SKIPPED the Python container tests: ${skipped}`)
    return
  }
  // The mixed-language example with every Python step on the container target.
  mkdirSync(join(REPO, 'test/.tmp'), { recursive: true })
  root = mkdtempSync(join(REPO, 'test/.tmp/py-container-'))
  cpSync(join(REPO, 'examples/mixed-flow'), root, { recursive: true, filter: (src) => !/[/\\](\.stepflare|\.wrangler)([/\\]|$)/.test(src) })
  const score = join(root, 'steps/score_order_step.py')
  writeFileSync(score, readFileSync(score, 'utf8').replace('    "runtime": "workers",\n', ''))
  server = spawnServer([CLI, 'preview', '--root', root, '--port', String(PORT), '--persist-to', tempDir('sf-pyc-')], {
    cwd: REPO,
    env: { STEPFLARE_SYSTEM_TOKEN: TOKEN, STEPFLARE_PYTHON_BASE_IMAGE: BASE_IMAGE },
  })
  const deadline = Date.now() + 300_000
  while (!/Preview of what/.test(server.output())) {
    if (server.child.exitCode !== null) throw new Error(`stepflare preview exited:\n${server.output()}`)
    if (Date.now() > deadline) throw new Error(`stepflare preview not ready:\n${server.output()}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}, 600_000)

afterAll(async () => {
  await server?.stop()
  if (root) rmSync(root, { recursive: true, force: true })
})

async function trace(traceId: string, done: (t: { status: string; deliveries: { status: string }[] }) => boolean) {
  const deadline = Date.now() + 60_000
  for (;;) {
    const r = await fetch(`${URL}/__stepflare/traces/${traceId}`, { headers: bearer })
    const t = r.ok ? ((await r.json()) as { status: string; runs: { step: string; status: string }[]; deliveries: { status: string }[] }) : undefined
    if (t && done(t)) return t
    if (Date.now() > deadline) throw new Error(`trace ${traceId}: ${JSON.stringify(t)}`)
    await new Promise((res) => setTimeout(res, 200))
  }
}

describe('Python steps in a real container under stepflare preview', () => {
  it('runs TS → Python (container) → TS in one trace, with state and stream callbacks', async (ctx) => {
    if (skipped) return ctx.skip()
    expect(server?.output()).toContain('Python steps run in the container image built from .stepflare/python/Dockerfile')
    const ws = await openSocket(`ws://127.0.0.1:${PORT}/`)
    ws.send({ type: 'join', data: { streamName: 'scores', groupId: 'live', subscriptionId: 's' } })
    await ws.waitFor((f) => eventType(f) === 'sync')
    const r = await fetch(`${URL}/score`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'pc-1', amount: 40, items: ['a', 'b'] }),
    })
    expect(r.status).toBe(202)
    const { traceId } = (await r.json()) as { traceId: string }
    const t = (await trace(traceId, (x) => x.status !== 'running')) as unknown as { status: string; runs: { step: string; status: string }[] }
    expect(t.status).toBe('completed')
    expect(t.runs.map((x) => [x.step, x.status])).toEqual([
      ['ValidateOrder', 'completed'],
      ['ScoreOrder', 'completed'],
      ['RecordScore', 'completed'],
    ])
    // The Python step set the stream item through its callback.
    await ws.waitFor((f) => f.id === 'pc-1' && (eventType(f) === 'create' || eventType(f) === 'update'))
    ws.close()
  })

  it('retries a failing Python step, then dead-letters it with its traceback', async (ctx) => {
    if (skipped) return ctx.skip()
    const r = await fetch(`${URL}/__stepflare/emit`, {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: JSON.stringify({ topic: 'explode.requested', data: { n: 1 } }),
    })
    expect(r.status).toBe(200)
    const { traceId } = (await r.json()) as { traceId: string }
    await trace(traceId, (x) => x.deliveries.every((d) => d.status === 'dead'))
    const { deadLetters } = (await (await fetch(`${URL}/__stepflare/dlq?traceId=${traceId}`, { headers: bearer })).json()) as {
      deadLetters: { step: string; error: { message: string; stack?: string }; attempts: unknown[] }[]
    }
    expect(deadLetters).toHaveLength(1)
    expect(deadLetters[0]).toMatchObject({ step: 'Explode', error: { message: "RuntimeError: boom: {'n': 1}" } })
    expect(deadLetters[0]?.attempts).toHaveLength(2)
    expect(deadLetters[0]?.error.stack).toMatch(/explode_step\.py", line \d+, in handler/)
  })

  it('keeps the bridge secret off every command line, out of the output, the generated files and the image', async (ctx) => {
    if (skipped) return ctx.skip()
    const containers = spawnSync('docker', ['ps', '--format', '{{.Names}}'], { encoding: 'utf8' })
      .stdout.trim()
      .split('\n')
      .filter((n) => n.startsWith('stepflare-python-'))
    expect(containers.length).toBeGreaterThan(0)
    const inspect = JSON.parse(spawnSync('docker', ['inspect', containers[0] as string], { encoding: 'utf8' }).stdout) as {
      Config: { Env: string[]; Image: string }
      Args: string[]
    }[]
    const secret = inspect[0]?.Config.Env.find((e) => e.startsWith('STEPFLARE_PYTHON_SECRET='))?.split('=')[1] as string
    expect(secret).toMatch(/^[0-9a-f]{48}$/)
    expect(inspect[0]?.Args.join(' ')).not.toContain(secret)
    const image = JSON.parse(spawnSync('docker', ['image', 'inspect', inspect[0]?.Config.Image as string], { encoding: 'utf8' }).stdout) as {
      Config: { Env: string[] }
    }[]
    expect(image[0]?.Config.Env.join(' ')).not.toContain('STEPFLARE_PYTHON_SECRET')
    for (const pid of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
      try {
        expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).not.toContain(secret)
      } catch (err) {
        if ((err as Error).name === 'AssertionError') throw err
      }
    }
    expect(server?.output()).not.toContain(secret)
    const files: string[] = []
    const walk = (d: string) => {
      for (const e of readdirSync(d)) {
        const p = join(d, e)
        if (statSync(p).isDirectory()) walk(p)
        else files.push(p)
      }
    }
    walk(join(root, '.stepflare'))
    for (const f of files) expect([f, readFileSync(f, 'utf8').includes(secret)]).toEqual([f, false])
  })
})
