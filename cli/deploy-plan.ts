/**
 * What `stepflare deploy` will do, before it does it: every resource the configuration needs
 * (queues, Durable Objects, crons, containers, the Python Worker) and every secret, each with what
 * happens to it — created, present already, generated and set, taken from the environment, or
 * missing. The remote side is read with wrangler (`queues list`, `secret list`) when it can be;
 * offline (`--dry-run` on a machine with no network or no login) the plan says it is unknown.
 * @module
 */
import { relative } from 'node:path'
import { type BuildResult, formatSize } from './build'
import { color } from './print'
import type { WranglerConfig } from './wrangler-config'
import { runWrangler } from './wrangler-process'

/** The bridge secret Python steps need; `deploy` generates it when the Worker has none. */
export const PYTHON_SECRET = 'STEPFLARE_PYTHON_SECRET'
export const SYSTEM_TOKEN = 'STEPFLARE_SYSTEM_TOKEN'

export type SecretAction =
  /** Already set on the deployed Worker. */
  | 'present'
  /** Not set: taken from this process's environment and uploaded with the deployment. */
  | 'from-env'
  /** Not set: made by `deploy` (random) and uploaded with the deployment; never printed. */
  | 'generate'
  /** Not set and nowhere to take it from: the deploy stops before uploading. */
  | 'missing'
  /** Not set, and not needed: the feature it opens stays off. */
  | 'optional'
  /** The remote side could not be read (offline dry run). */
  | 'unknown'

export interface PlannedSecret {
  name: string
  why: string
  action: SecretAction
}

export interface DeployPlan {
  name: string
  env?: string
  bundle: { path: string; bytes: number; gzipBytes: number }
  configPath: string
  queues: string[]
  /** Queues that do not exist yet (created by deploy); null when the remote side is unknown. */
  createQueues: string[] | null
  crons: string[]
  durableObjects: string[]
  containers: string[]
  /** The Python Worker deployed first, when Python steps run on the Workers Python target. */
  pythonWorker?: string
  secrets: PlannedSecret[]
  /** The project's `secrets.required` (kept for callers of earlier versions). */
  requiredSecrets: string[]
}

/** What the account already has, as far as wrangler can tell. */
export interface RemoteState {
  queues: Set<string>
  /** Secret names of the deployed Worker; empty when the Worker does not exist yet. */
  secrets: Set<string>
}

/** The effective block for an environment: wrangler's env blocks replace the top-level bindings. */
export function envBlock(config: WranglerConfig, env?: string): WranglerConfig {
  return env ? { ...config, ...(config.env?.[env] ?? {}) } : config
}

/** Queue names from `wrangler queues list` output (a table): whole cells only, so `a-events` is not `a-events-dlq`. */
export function queueNames(listing: string): Set<string> {
  return new Set(listing.split(/[\s│|]+/).filter((w) => /^[a-z0-9][a-z0-9-]*$/.test(w)))
}

/** Reads the account's queues and the Worker's secrets; undefined when wrangler cannot reach them. */
export async function readRemote(root: string, configPath: string, envArgs: string[]): Promise<RemoteState | undefined> {
  const queues = await runWrangler(root, ['queues', 'list'])
  if (queues.code !== 0) return undefined
  const listed = await runWrangler(root, ['secret', 'list', '--config', configPath, ...envArgs])
  let secrets = new Set<string>()
  if (listed.code === 0) {
    try {
      secrets = new Set((JSON.parse(listed.stdout.slice(listed.stdout.indexOf('['))) as { name: string }[]).map((s) => s.name))
    } catch {
      // an answer we cannot read: treat as none set
    }
  }
  return { queues: queueNames(queues.stdout), secrets }
}

export function plan(
  r: BuildResult,
  config: WranglerConfig,
  opts: { env?: string; required: string[]; hasPython: boolean; remote?: RemoteState; environment?: NodeJS.ProcessEnv },
): DeployPlan {
  const b = envBlock(config, opts.env)
  const queues = new Set<string>()
  for (const p of b.queues?.producers ?? []) queues.add(p.queue)
  for (const c of b.queues?.consumers ?? []) {
    queues.add(c.queue)
    if (c.dead_letter_queue) queues.add(c.dead_letter_queue)
  }
  const environment = opts.environment ?? process.env
  const action = (name: string, fallback: SecretAction): SecretAction => {
    if (opts.remote?.secrets.has(name)) return 'present'
    if (environment[name]) return 'from-env'
    return opts.remote ? fallback : fallback === 'generate' ? 'generate' : 'unknown'
  }
  const secrets: PlannedSecret[] = [
    ...opts.required.map((name) => ({ name, why: 'listed in secrets.required', action: action(name, 'missing') })),
    ...(opts.hasPython
      ? [{ name: PYTHON_SECRET, why: 'signs the Worker\u2019s calls to the Python runner and its callbacks', action: action(PYTHON_SECRET, 'generate') }]
      : []),
    { name: SYSTEM_TOKEN, why: 'opens the system routes and the workbench', action: action(SYSTEM_TOKEN, 'optional') },
  ]
  return {
    name: b.name,
    ...(opts.env ? { env: opts.env } : {}),
    bundle: { path: `${r.outDir}/entry.js`, bytes: r.bytes, gzipBytes: r.gzipBytes },
    configPath: r.configPath,
    queues: [...queues],
    createQueues: opts.remote ? [...queues].filter((q) => !opts.remote?.queues.has(q)) : null,
    crons: b.triggers?.crons ?? [],
    durableObjects: (b.durable_objects?.bindings ?? []).map((d: { name: string; class_name: string }) => `${d.name} (${d.class_name})`),
    containers: (b.containers ?? config.containers ?? []).map(
      (c: { class_name: string; instance_type?: string }) => `${c.class_name} (${c.instance_type ?? 'default'})`,
    ),
    ...(r.pythonWorker ? { pythonWorker: r.pythonWorker.name } : {}),
    secrets,
    requiredSecrets: opts.required,
  }
}

const ACTION_TEXT: Record<SecretAction, string> = {
  present: 'set',
  'from-env': 'from the environment, uploaded with the deployment',
  generate: 'generated and uploaded with the deployment (never printed)',
  missing: 'MISSING: set it with `wrangler secret put`, or in the environment of this command',
  optional: 'not set (optional)',
  unknown: 'unknown (offline): checked by the deploy itself',
}

export function printPlan(p: DeployPlan, dryRun: boolean): void {
  console.log(`${dryRun ? color.yellow('Dry run') : color.green('Deploying')} ${color.bold(p.name)}${p.env ? ` (env ${p.env})` : ''}`)
  console.log(`  bundle      ${relative(process.cwd(), p.bundle.path)}  ${formatSize(p.bundle.bytes)} (${formatSize(p.bundle.gzipBytes)} gzipped)`)
  console.log(`  config      ${relative(process.cwd(), p.configPath)}`)
  const create = new Set(p.createQueues ?? [])
  const queueText = p.queues.map((q) => (p.createQueues === null ? q : create.has(q) ? `${q} (to create)` : `${q} (exists)`))
  console.log(`  queues      ${queueText.join(', ') || '-'}`)
  console.log(`  crons       ${p.crons.join(', ') || '-'}`)
  console.log(`  objects     ${p.durableObjects.join(', ')}`)
  if (p.containers.length) console.log(`  containers  ${p.containers.join(', ')}`)
  if (p.pythonWorker) console.log(`  python      ${p.pythonWorker} (Workers Python, deployed first)`)
  for (const s of p.secrets) {
    const text = ACTION_TEXT[s.action]
    console.log(`  secret      ${s.name}: ${s.action === 'missing' ? color.red(text) : text} \u2014 ${s.why}`)
  }
}
