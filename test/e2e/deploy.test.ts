import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { CLI, REPO, tempDir } from './dev-server'

// Run in a network namespace of its own when possible (root, util-linux): then any network call fails.
const isolated = spawnSync('unshare', ['-n', 'true']).status === 0

describe('stepflare deploy --dry-run', () => {
  it('produces the bundle and the full configuration of an environment without any network call', () => {
    const args = [CLI, 'deploy', '--dry-run', '--env', 'staging', '--root', join(REPO, 'examples/demo'), '--json']
    const r = isolated ? spawnSync('unshare', ['-n', process.execPath, ...args], { encoding: 'utf8' }) : spawnSync(process.execPath, args, { encoding: 'utf8' })
    expect(r.status, r.stderr).toBe(0)
    const plan = JSON.parse(r.stdout.trim().split('\n').pop() as string) as {
      name: string
      env: string
      bundle: { path: string; bytes: number }
      configPath: string
      queues: string[]
      crons: string[]
      durableObjects: string[]
    }
    expect(plan).toMatchObject({
      name: 'stepflare-demo-staging',
      env: 'staging',
      queues: ['stepflare-demo-staging-events', 'stepflare-demo-staging-events-dlq'],
      crons: ['* * * * *'],
    })
    expect(plan.durableObjects).toContain('STEPFLARE_TRACE (TraceObject)')
    expect(existsSync(plan.bundle.path) && plan.bundle.bytes > 0).toBe(true)
    const config = JSON.parse(readFileSync(plan.configPath, 'utf8')) as {
      env: { staging: { vars: Record<string, string>; queues: { consumers: { dead_letter_queue?: string }[] } } }
    }
    expect(config.env.staging.vars.STAGE).toBe('staging')
    expect(config.env.staging.queues.consumers[0]?.dead_letter_queue).toBe('stepflare-demo-staging-events-dlq')
  })

  it('names an environment that does not exist', () => {
    const r = spawnSync(process.execPath, [CLI, 'deploy', '--dry-run', '--env', 'nope', '--root', join(REPO, 'examples/demo')], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    })
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('no environment "nope" in your wrangler configuration')
  })
})

/**
 * `deploy` against the tests' stand-in for the Cloudflare API (test/fixtures/fake-wrangler.mjs: the
 * account's queues and a Worker's secrets in a JSON file, every wrangler call logged): what the plan
 * says for a new project and for a second deploy, that a missing secret stops it before anything
 * is uploaded, and that secrets reach wrangler in a private file, never on a command line.
 */
describe('stepflare deploy against a stand-in Cloudflare account', () => {
  const copies: string[] = []
  afterAll(() => {
    for (const c of copies) rmSync(c, { recursive: true, force: true })
  })
  const account = () => {
    const dir = tempDir('sf-account-')
    return { state: join(dir, 'state.json'), log: join(dir, 'calls.log') }
  }
  const project = (from: string, config?: string) => {
    // Inside the repository, so the copy resolves its node_modules (zod, …).
    mkdirSync(join(REPO, 'test/.tmp'), { recursive: true })
    const root = mkdtempSync(join(REPO, 'test/.tmp/deploy-'))
    copies.push(root)
    cpSync(join(REPO, from), root, { recursive: true, filter: (src) => !/[/\\](\.stepflare|\.wrangler)([/\\]|$)/.test(src) })
    if (config) writeFileSync(join(root, 'stepflare.config.ts'), config)
    return root
  }
  const deploy = (root: string, acct: { state: string; log: string }, extra: string[] = [], env: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, [CLI, 'deploy', '--root', root, ...extra], {
      encoding: 'utf8',
      env: {
        ...process.env,
        NO_COLOR: '1',
        STEPFLARE_WRANGLER: join(REPO, 'test/fixtures/fake-wrangler.mjs'),
        FAKE_WRANGLER_REAL: join(REPO, 'node_modules/wrangler/bin/wrangler.js'),
        FAKE_WRANGLER_STATE: acct.state,
        FAKE_WRANGLER_LOG: acct.log,
        ...env,
      },
    })
    const calls = existsSync(acct.log)
      ? readFileSync(acct.log, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { args: string[]; secretNames?: string[]; secretsFileMode?: string })
      : []
    return { ...r, calls, plan: extra.includes('--json') ? JSON.parse(r.stdout.trim().split('\n').pop() as string) : undefined }
  }
  const REQUIRED = "import { defineConfig } from 'stepflare'\nexport default defineConfig({ secrets: { required: ['PAYMENT_KEY'] } })\n"

  it('plans a new project, stops on a missing secret, then creates, uploads and plans a second deploy with nothing to do', () => {
    const acct = account()
    const root = project('examples/demo', REQUIRED)
    const fresh = deploy(root, acct, ['--dry-run', '--json'])
    expect(fresh.status, fresh.stderr).toBe(0)
    expect(fresh.plan.createQueues).toEqual(['stepflare-demo-events', 'stepflare-demo-events-dlq'])
    expect(fresh.plan.secrets).toEqual([
      { name: 'PAYMENT_KEY', why: 'listed in secrets.required', action: 'missing' },
      { name: 'STEPFLARE_SYSTEM_TOKEN', why: 'opens the system routes and the workbench', action: 'optional' },
    ])

    const refused = deploy(root, acct)
    expect(refused.status).toBe(1)
    expect(refused.stderr).toContain('missing required secret: PAYMENT_KEY; nothing was uploaded')
    expect(refused.calls.filter((c) => c.args[0] === 'deploy' && !c.args.includes('--dry-run'))).toEqual([])
    expect(refused.calls.filter((c) => c.args[1] === 'create')).toEqual([])

    const value = `pk-${Math.random().toString(36).slice(2)}`
    const done = deploy(root, acct, [], { PAYMENT_KEY: value })
    expect(done.status, done.stderr).toBe(0)
    expect(done.stdout).toContain('Deployed stepflare-demo: https://stepflare-demo.fake.workers.dev')
    expect(done.calls.filter((c) => c.args[1] === 'create').map((c) => c.args[2])).toEqual(['stepflare-demo-events', 'stepflare-demo-events-dlq'])
    const upload = done.calls.find((c) => c.secretNames)
    expect(upload).toMatchObject({ secretNames: ['PAYMENT_KEY'], secretsFileMode: '600' })
    for (const c of done.calls) expect(c.args.join(' ')).not.toContain(value)
    expect(`${done.stdout}${done.stderr}`).not.toContain(value)
    const file = upload?.args[upload.args.indexOf('--secrets-file') + 1] as string
    expect(existsSync(file)).toBe(false)

    const again = deploy(root, acct, ['--dry-run', '--json'])
    expect(again.plan.createQueues).toEqual([])
    expect(again.plan.secrets[0]).toMatchObject({ name: 'PAYMENT_KEY', action: 'present' })
  })

  it('generates the Python bridge secret once, and never shows it', () => {
    const acct = account()
    const root = project('examples/mixed-flow')
    const first = deploy(root, acct, ['--dry-run', '--json'])
    expect(first.plan.secrets.find((s: { name: string }) => s.name === 'STEPFLARE_PYTHON_SECRET')).toMatchObject({ action: 'generate' })
    const done = deploy(root, acct)
    expect(done.status, done.stderr).toBe(0)
    const upload = done.calls.find((c) => c.secretNames)
    expect(upload?.secretNames).toEqual(['STEPFLARE_PYTHON_SECRET'])
    const second = deploy(root, acct, ['--dry-run', '--json'])
    expect(second.plan.secrets.find((s: { name: string }) => s.name === 'STEPFLARE_PYTHON_SECRET')).toMatchObject({ action: 'present' })
  })
})
