/**
 * `stepflare deploy [--env name] [--dry-run]`: build, then create the queues the configuration
 * needs (the event queue and its dead-letter queue) when they are missing, deploy, and check the
 * required secrets. `--dry-run` stops before anything remote: it bundles, writes the full
 * configuration and prints what would be deployed, with no network call.
 * @module
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { type BuildResult, build, formatSize } from './build'
import { CliError } from './errors'
import { color, stepLine } from './print'
import { loadProject } from './project'
import { PYTHON_WORKER_BINDING } from './python/workers-files'
import { requiredSecrets } from './secrets'
import { readUserConfig, type WranglerConfig } from './wrangler-config'
import { runWrangler } from './wrangler-process'

export interface DeployPlan {
  name: string
  env?: string
  bundle: { path: string; bytes: number; gzipBytes: number }
  configPath: string
  queues: string[]
  crons: string[]
  durableObjects: string[]
  containers: string[]
  /** The Python Worker deployed first, when Python steps run on the Workers Python target. */
  pythonWorker?: string
  requiredSecrets: string[]
}

/** The effective block for an environment: wrangler's env blocks replace the top-level bindings. */
function block(config: WranglerConfig, env?: string): WranglerConfig {
  return env ? { ...config, ...(config.env?.[env] ?? {}) } : config
}

export function plan(r: BuildResult, config: WranglerConfig, env: string | undefined, secrets: string[]): DeployPlan {
  const b = block(config, env)
  const queues = new Set<string>()
  for (const p of b.queues?.producers ?? []) queues.add(p.queue)
  for (const c of b.queues?.consumers ?? []) {
    queues.add(c.queue)
    if (c.dead_letter_queue) queues.add(c.dead_letter_queue)
  }
  return {
    name: b.name,
    ...(env ? { env } : {}),
    bundle: { path: `${r.outDir}/entry.js`, bytes: r.bytes, gzipBytes: r.gzipBytes },
    configPath: r.configPath,
    queues: [...queues],
    crons: b.triggers?.crons ?? [],
    durableObjects: (b.durable_objects?.bindings ?? []).map((d: { name: string; class_name: string }) => `${d.name} (${d.class_name})`),
    containers: (b.containers ?? config.containers ?? []).map(
      (c: { class_name: string; instance_type?: string }) => `${c.class_name} (${c.instance_type ?? 'default'})`,
    ),
    ...(r.pythonWorker ? { pythonWorker: r.pythonWorker.name } : {}),
    requiredSecrets: secrets,
  }
}

export function printPlan(p: DeployPlan, dryRun: boolean): void {
  console.log(`${dryRun ? color.yellow('Dry run') : color.green('Deploying')} ${color.bold(p.name)}${p.env ? ` (env ${p.env})` : ''}`)
  console.log(`  bundle      ${relative(process.cwd(), p.bundle.path)}  ${formatSize(p.bundle.bytes)} (${formatSize(p.bundle.gzipBytes)} gzipped)`)
  console.log(`  config      ${relative(process.cwd(), p.configPath)}`)
  console.log(`  queues      ${p.queues.join(', ') || '-'}`)
  console.log(`  crons       ${p.crons.join(', ') || '-'}`)
  console.log(`  objects     ${p.durableObjects.join(', ')}`)
  if (p.containers.length) console.log(`  containers  ${p.containers.join(', ')}`)
  if (p.pythonWorker) console.log(`  python      ${p.pythonWorker} (Workers Python, deployed first)`)
  if (p.requiredSecrets.length)
    console.log(`  secrets     ${p.requiredSecrets.join(', ')} (set with \`wrangler secret put NAME${p.env ? ` --env ${p.env}` : ''}\`)`)
}

async function wrangler(root: string, args: string[]): Promise<string> {
  const r = await runWrangler(root, args)
  if (r.code !== 0)
    throw new CliError(`wrangler ${args.slice(0, 2).join(' ')} failed:\n${(r.stderr || r.stdout).trim()}`, {
      hint: 'Check `wrangler whoami` and your network, then run the command again.',
    })
  return r.stdout
}

/**
 * The Python Worker goes first, so the main Worker's binding to it resolves. On the very first
 * deploy its own binding back (callbacks) cannot resolve either: the main Worker is deployed once
 * without the Python Worker's binding, then the Python Worker, then the main Worker in full.
 */
async function deployPythonWorker(root: string, r: BuildResult, config: WranglerConfig, envArgs: string[], verbose: boolean): Promise<void> {
  const worker = r.pythonWorker as NonNullable<BuildResult['pythonWorker']>
  const args = ['deploy', '--config', worker.configPath, ...envArgs]
  const first = await runWrangler(root, args)
  if (first.code === 0) return
  const output = (first.stderr || first.stdout).trim()
  if (!/not found|script_not_found|10007/i.test(output)) {
    throw new CliError(`wrangler deploy of ${worker.name} failed:\n${output}`, {
      hint: 'Check `wrangler whoami` and your network, then run the command again.',
    })
  }
  if (verbose) console.log(`  first deploy: ${config.name} without its Python Worker binding, then ${worker.name}`)
  const bootstrap = join(dirname(r.configPath), 'wrangler.bootstrap.json')
  writeFileSync(bootstrap, `${JSON.stringify(withoutPythonWorker(config), null, 2)}\n`)
  await wrangler(root, ['deploy', '--config', bootstrap, ...envArgs])
  await wrangler(root, args)
}

function withoutPythonWorker(config: WranglerConfig): WranglerConfig {
  const strip = (block: WranglerConfig): WranglerConfig => ({
    ...block,
    services: ((block.services as { binding: string }[] | undefined) ?? []).filter((s) => s.binding !== PYTHON_WORKER_BINDING),
  })
  const out = strip(config)
  if (config.env) out.env = Object.fromEntries(Object.entries(config.env as Record<string, WranglerConfig>).map(([k, b]) => [k, strip(b)]))
  return out
}

export async function deploy(opts: { root: string; env?: string; dryRun?: boolean; json?: boolean }): Promise<DeployPlan> {
  if (opts.env && !readUserConfig(resolve(opts.root)).config.env?.[opts.env]) {
    throw new CliError(`no environment ${JSON.stringify(opts.env)} in your wrangler configuration`, {
      hint: `Add an "env": { "${opts.env}": { … } } block to wrangler.jsonc, or drop --env.`,
    })
  }
  const r = await build({ root: opts.root, env: opts.env, ...(opts.json ? {} : { progress: stepLine }) })
  const config = JSON.parse(readFileSync(r.configPath, 'utf8')) as WranglerConfig
  const project = await loadProject(opts.root)
  const p = plan(r, config, opts.env, requiredSecrets(project.config))
  if (!opts.json) printPlan(p, !!opts.dryRun)
  if (opts.dryRun) return p
  const envArgs = opts.env ? ['--env', opts.env] : []
  const existing = await wrangler(opts.root, ['queues', 'list'])
  for (const q of p.queues) {
    if (!existing.includes(q)) {
      if (!opts.json) console.log(`  creating queue ${q}`)
      await wrangler(opts.root, ['queues', 'create', q])
    }
  }
  if (r.pythonWorker) await deployPythonWorker(opts.root, r, config, envArgs, !opts.json)
  if (!opts.json) stepLine(`deploying ${p.name} (wrangler deploy)`)
  const deployed = await wrangler(opts.root, ['deploy', '--config', r.configPath, ...envArgs])
  const url = /https:\/\/\S+\.workers\.dev/.exec(deployed)?.[0]
  if (p.requiredSecrets.length) {
    const listed = await wrangler(opts.root, ['secret', 'list', '--config', r.configPath, ...envArgs]).catch(() => '')
    const missing = p.requiredSecrets.filter((s) => !listed.includes(`"${s}"`))
    if (missing.length)
      console.log(color.yellow(`  missing secrets: ${missing.join(', ')} — run \`wrangler secret put NAME${opts.env ? ` --env ${opts.env}` : ''}\``))
  }
  if (!opts.json) console.log(`${color.green('Deployed')} ${url ?? p.name}`)
  return p
}
