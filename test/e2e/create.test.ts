/**
 * SLOW (about 3 minutes): `stepflare create` for every template into a temporary directory, as a
 * user would run it — npm installs the project with this checkout as its stepflare (a copy, as the
 * published package installs; npm's cache is shared, so only the first install downloads) — then
 * the created project's own `npm test` and `npm run typecheck`, and its `stepflare dev` (the
 * installed CLI) up to a first 200. Ports 8870-8873. Skip with STEPFLARE_SKIP_CREATE_E2E=1.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI, REPO, type ServerProcess, spawnServer, tempDir, waitForReady } from './dev-server'

interface Run {
  code: number
  output: string
}

function run(command: string, args: string[], cwd: string, timeoutMs = 170_000): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, NO_COLOR: '1', CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d) => {
      output += d
    })
    child.stderr.on('data', (d) => {
      output += d
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code: code ?? 1, output })
    })
  })
}

function startDev(dir: string, port: number): Promise<ServerProcess> {
  const cli = join(dir, 'node_modules', 'stepflare', 'cli', 'bin.mjs')
  const server = spawnServer([cli, 'dev', '--port', String(port), '--persist-to', join(dir, '.wrangler', 'e2e')], { cwd: dir })
  return waitForReady(server).then(() => server)
}

/** What each template's dev server must answer with a 200 (after the given preparation). */
const FIRST_200: Record<string, (url: string) => Promise<Response>> = {
  starter: async (url) => {
    await fetch(`${url}/todos`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'from e2e' }) })
    return fetch(`${url}/todos`)
  },
  streams: (url) => fetch(`${url}/live`),
  python: async (url) => {
    const r = await fetch(`${url}/texts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'one two three' }) })
    const { id } = (await r.json()) as { id: string }
    // The TypeScript → Python → TypeScript chain finishes: the text comes back analyzed.
    const deadline = Date.now() + 30_000
    for (;;) {
      const got = await fetch(`${url}/texts/${id}`)
      const body = (await got.clone().json()) as { status?: string }
      if (body.status === 'analyzed' || Date.now() > deadline) return got
      await new Promise((res) => setTimeout(res, 200))
    }
  },
  'motia-migrate': (url) => fetch(`${url}/health`),
}

const TEMPLATES = ['starter', 'streams', 'python', 'motia-migrate']

describe.skipIf(process.env.STEPFLARE_SKIP_CREATE_E2E === '1')('stepflare create (slow: installs every template)', () => {
  let root = ''
  beforeAll(() => {
    root = tempDir('sf-create-e2e-')
  })
  afterAll(() => rmSync(root, { recursive: true, force: true }))

  it('refuses a directory that is not empty and says what to do', async () => {
    const busy = join(root, 'busy')
    mkdirSync(busy)
    writeFileSync(join(busy, 'keep.txt'), 'x')
    const r = await run(process.execPath, [CLI, 'create', busy, '--template', 'starter', '--yes'], root)
    expect(r.code).toBe(1)
    expect(r.output).toMatch(/busy is not empty/)
    expect(r.output).toMatch(/--force/)
  })

  it.each(TEMPLATES.map((t, i) => [t, 8870 + i] as const))(
    '%s: creates, installs, passes its own tests and type-check, serves a 200',
    async (template, port) => {
      const dir = join(root, `${template}-app`)
      const created = await run(process.execPath, [CLI, 'create', dir, '--template', template, '--yes', '--stepflare-path', REPO], root)
      expect(created.code, created.output).toBe(0)
      expect(created.output).toMatch(/Installed dependencies/)
      expect(created.output).toMatch(/npm run dev/)
      expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies.stepflare).toBe(`file:${REPO}`)

      const tests = await run('npm', ['test'], dir)
      expect(tests.code, tests.output).toBe(0)
      expect(tests.output).toMatch(/Tests\s+\d+ passed/)

      const typecheck = await run('npm', ['run', 'typecheck'], dir)
      expect(typecheck.code, typecheck.output).toBe(0)

      const dev = await startDev(dir, port)
      try {
        const res = await FIRST_200[template]!(`http://127.0.0.1:${port}`)
        expect(res.status, dev.output()).toBe(200)
        if (template === 'python') expect(await res.json()).toMatchObject({ status: 'analyzed', words: 3 })
      } finally {
        await dev.stop()
      }
    },
  )
})
