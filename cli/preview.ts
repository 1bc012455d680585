/**
 * `stepflare preview`: the deployed configuration, run on this machine. It builds what `deploy`
 * uploads (the same generated configuration, bundled by `wrangler deploy --dry-run`) and serves
 * that configuration under `wrangler dev` with production's defaults: no `STEPFLARE_DEV` (so 8
 * trace shards, system routes locked unless a request carries `STEPFLARE_SYSTEM_TOKEN`, no
 * dev-only routes, no recovery call at start — the trace shards' alarms re-send lost work, as
 * deployed), crons fired the way Cron Triggers fire them. It says what differs from Cloudflare.
 * @module
 */
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { build } from './build'
import { CronRunner } from './cron-runner'
import { type DevSecrets, writeDevSecrets } from './dev-secrets'
import { pipeLines, waitForWorker } from './local-server'
import { checkPortFree } from './port-check'
import { color, describeProject, stepLine } from './print'
import { loadProject } from './project'
import { type PythonRunner, startRunner } from './python/runner-process'
import { localSecretFiles, parseNames } from './secrets'
import { GATHER_OUTPUT, spawnWrangler } from './wrangler-process'

export interface PreviewOptions {
  root: string
  port: number
  env?: string
  persistTo?: string
  json?: boolean
}

/** `NAME` from the environment or the project's local secret files, else undefined. */
function localSecret(root: string, name: string, env?: string): string | undefined {
  if (process.env[name]) return process.env[name]
  for (const f of localSecretFiles(env)) {
    const p = join(root, f)
    if (!existsSync(p)) continue
    const text = readFileSync(p, 'utf8')
    if (!parseNames(text).includes(name)) continue
    const m = new RegExp(`^\\s*(?:export\\s+)?${name}\\s*=\\s*(.*)$`, 'm').exec(text)
    const v = m?.[1]?.trim().replace(/^(['"])(.*)\1$/, '$2')
    if (v) return v
  }
  return undefined
}

/** What a preview is not, said plainly. */
export function previewDifferences(hasPython: boolean): string[] {
  return [
    'one workerd process on this machine: Durable Objects, Queues and Cron Triggers are the local versions from Miniflare (the queue is in memory and hands the consumer one batch at a time; no object placement near users; no isolate eviction)',
    'crons fire from this process on their schedule (the Cloudflare scheduler calls `scheduled` the same way)',
    ...(hasPython
      ? [
          'Python steps run in the local Python runner started with `python3`, for both targets: the container image is not built here, and Workers Python (Pyodide) cannot be fetched offline',
        ]
      : []),
    'secrets come from the environment and .dev.vars/.env, not from `wrangler secret`',
  ]
}

export async function preview(opts: PreviewOptions): Promise<void> {
  const root = resolve(opts.root)
  await checkPortFree(opts.port)
  const built = await build({ root, env: opts.env, progress: stepLine })
  const project = await loadProject(root)
  const url = `http://127.0.0.1:${opts.port}`
  const hasPython = project.steps.some((s) => s.python)

  // The system token: the project's own, or one made for this session.
  const ownToken = localSecret(root, 'STEPFLARE_SYSTEM_TOKEN', opts.env)
  const token = ownToken ?? randomBytes(18).toString('base64url')
  const vars: Record<string, string> = { STEPFLARE_SYSTEM_TOKEN: token }
  let runner: PythonRunner | undefined
  const extra: string[] = []
  if (hasPython) {
    const secret = randomBytes(24).toString('hex')
    runner = await startRunner(root, { secret })
    vars.STEPFLARE_PYTHON_SECRET = secret
    extra.push('--var', `STEPFLARE_PYTHON_URL:${runner.url}`, '--var', `STEPFLARE_PYTHON_CALLBACK_URL:${url}/__stepflare/python/callback`)
  }
  const secrets: DevSecrets = writeDevSecrets(join(root, '.stepflare'), vars)
  const child = spawnWrangler(
    root,
    [
      'dev',
      '--config',
      built.configPath,
      ...(opts.env ? ['--env', opts.env] : []),
      '--port',
      String(opts.port),
      '--ip',
      '127.0.0.1',
      '--inspector-port',
      '0',
      '--persist-to',
      resolve(root, opts.persistTo ?? '.wrangler/preview'),
      '--show-interactive-dev-session=false',
      '--enable-containers=false',
      ...extra,
      ...secrets.args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], nodeArgs: GATHER_OUTPUT },
  )
  const pretty = !opts.json && process.stdout.isTTY === true
  pipeLines(child.stdout, process.stdout, { pretty })
  pipeLines(child.stderr, process.stderr, { pretty })
  const cron = new CronRunner(url)
  const stop = async () => {
    cron.stop()
    secrets.dispose()
    await runner?.stop()
    if (child.exitCode === null) child.kill('SIGTERM')
  }
  let starting = true
  process.once('SIGINT', () => void stop().then(() => process.exit(0)))
  process.once('SIGTERM', () => void stop().then(() => process.exit(0)))
  child.once('exit', (code) => {
    if (starting) return
    secrets.dispose()
    cron.stop()
    void runner?.stop()
    process.exit(code ?? 1)
  })
  try {
    // System routes are locked: any answer from the Worker (a 404 included) means it is up.
    await waitForWorker(`${url}/__stepflare/health`, child, 90_000, () => true)
  } catch (err) {
    await stop()
    throw err
  }
  starting = false
  cron.update(project.steps.map((s) => s.model))
  console.log(describeProject(project.steps.map((s) => s.model)))
  console.log(
    `${color.green('Preview')} of what \`stepflare deploy${opts.env ? ` --env ${opts.env}` : ''}\` uploads, on ${color.bold(`http://localhost:${opts.port}`)}`,
  )
  console.log(
    ownToken
      ? `System routes and the workbench need STEPFLARE_SYSTEM_TOKEN: open http://localhost:${opts.port}/__stepflare/?token=<your token>`
      : `System routes and the workbench need a token; this session's: open ${color.bold(`http://localhost:${opts.port}/__stepflare/?token=${token}`)}\n(set STEPFLARE_SYSTEM_TOKEN in .dev.vars to choose it)`,
  )
  console.log(color.yellow('What differs from Cloudflare:'))
  for (const d of previewDifferences(hasPython)) console.log(`  - ${d}`)
}
