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
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { build } from './build'
import { CronRunner } from './cron-runner'
import { type DevSecrets, writeDevSecrets } from './dev-secrets'
import { pipeLines, waitForWorker } from './local-server'
import { checkPortFree } from './port-check'
import { color, describeProject, stepLine } from './print'
import { loadProject } from './project'
import { dockerAvailable, startContainerRunner } from './python/docker-runner'
import { startRunner } from './python/runner-process'
import { localSecretFiles, parseNames } from './secrets'
import type { WranglerConfig } from './wrangler-config'
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

/** How Python steps run in this preview. */
export type PythonMode = 'none' | 'container' | 'local'

const CONTAINER_NOTE =
  "Python steps run in the container image built from .stepflare/python/Dockerfile: one container for the whole preview, on this machine's network, called at a loopback URL; on Cloudflare the Worker reaches its containers through the Container class, which starts, sleeps and scales them. Steps on the Workers Python target run in it too (Pyodide cannot be fetched offline)"
const LOCAL_NOTE =
  'Python steps run in the local runner started with `python3`: no Docker engine answered, so the container image was not built (Workers Python cannot be fetched offline either)'

/** What a preview is not, said plainly. */
export function previewDifferences(python: PythonMode): string[] {
  return [
    'one workerd process on this machine: Durable Objects, Queues and Cron Triggers are the local versions from Miniflare (the queue is in memory and hands the consumer one batch at a time; no object placement near users; no isolate eviction)',
    'crons fire from this process on their schedule (the Cloudflare scheduler calls `scheduled` the same way)',
    ...(python === 'container' ? [CONTAINER_NOTE] : python === 'local' ? [LOCAL_NOTE] : []),
    'secrets come from the environment and .dev.vars/.env, not from `wrangler secret`',
  ]
}

/**
 * The configuration `deploy` uploads, without its `containers` entries: wrangler dev would pull or
 * build their image itself (and a registry image needs a login); the preview runs the image on its
 * own (docker-runner.ts), and the container class stays bound as the Durable Object it is.
 */
function previewConfig(configPath: string): string {
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as WranglerConfig
  if (!config.containers && !Object.values((config.env ?? {}) as Record<string, WranglerConfig>).some((b) => b.containers)) return configPath
  const strip = ({ containers: _c, ...rest }: WranglerConfig): WranglerConfig => rest
  const out = strip(config)
  if (config.env) out.env = Object.fromEntries(Object.entries(config.env as Record<string, WranglerConfig>).map(([k, b]) => [k, strip(b)]))
  const path = join(dirname(configPath), 'wrangler.preview.json')
  writeFileSync(path, `${JSON.stringify(out, null, 2)}\n`)
  return path
}

/** A Docker image name from the project folder's name. */
function dockerTag(root: string): string {
  const base =
    root
      .split(/[\\/]/)
      .pop()
      ?.toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[^a-z0-9]+/, '') || 'app'
  return `stepflare-${base}-python`
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
  let runner: { url: string; stop(): Promise<void> } | undefined
  let pythonMode: PythonMode = 'none'
  const extra: string[] = []
  if (hasPython) {
    const secret = randomBytes(24).toString('hex')
    if (built.python && dockerAvailable()) {
      runner = await startContainerRunner(root, { dockerfile: built.python.dockerfile, tag: `${dockerTag(project.root)}:preview`, secret, onOutput: stepLine })
      pythonMode = 'container'
    } else {
      runner = await startRunner(root, { secret })
      pythonMode = 'local'
    }
    vars.STEPFLARE_PYTHON_SECRET = secret
    extra.push('--var', `STEPFLARE_PYTHON_URL:${runner.url}`, '--var', `STEPFLARE_PYTHON_CALLBACK_URL:${url}/__stepflare/python/callback`)
  }
  const secrets: DevSecrets = writeDevSecrets(join(root, '.stepflare'), vars)
  const configPath = previewConfig(built.configPath)
  const child = spawnWrangler(
    root,
    [
      'dev',
      '--config',
      configPath,
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
  for (const d of previewDifferences(pythonMode)) console.log(`  - ${d}`)
}
