/**
 * `stepflare deploy [--env name] [--dry-run]`: build, read what the account already has, stop
 * before uploading anything when a required secret is missing (naming it), create the missing
 * queues, deploy the Python Worker first when there is one, then the Worker with the secrets the
 * runtime needs — generated or taken from the environment, handed to wrangler in a file only the
 * user can read, never on a command line, never printed — and print the URLs. `--dry-run` prints
 * the plan (deploy-plan.ts) and uploads nothing; it reads the remote side only when wrangler has
 * credentials.
 * @module
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { type BuildResult, build } from './build'
import { type DeployPlan, PYTHON_SECRET, plan, printPlan, readRemote } from './deploy-plan'
import { CliError } from './errors'
import { color, stepLine } from './print'
import { loadProject } from './project'
import { PYTHON_WORKER_BINDING } from './python/workers-files'
import { requiredSecrets } from './secrets'
import { readUserConfig, type WranglerConfig } from './wrangler-config'
import { runWrangler } from './wrangler-process'

export type { DeployPlan } from './deploy-plan'

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

/** Whether wrangler can reach the account without asking anyone to log in. */
function hasCredentials(): boolean {
  return !!process.env.CLOUDFLARE_API_TOKEN || !!process.env.STEPFLARE_WRANGLER || existsSync(join(homedir(), '.config', '.wrangler', 'config', 'default.toml'))
}

/** Secrets to upload with the deployment, in a 0600 file under a fresh 0700 directory; removed after. */
function secretsFile(values: Record<string, string>): { args: string[]; dispose(): void } {
  if (Object.keys(values).length === 0) return { args: [], dispose: () => {} }
  const dir = mkdtempSync(join(tmpdir(), 'stepflare-deploy-'))
  const file = join(dir, 'secrets.json')
  writeFileSync(file, JSON.stringify(values), { mode: 0o600 })
  return { args: ['--secrets-file', file], dispose: () => rmSync(dir, { recursive: true, force: true }) }
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
  const envArgs = opts.env ? ['--env', opts.env] : []
  const remote = !opts.dryRun || hasCredentials() ? await readRemote(opts.root, r.configPath, envArgs) : undefined
  if (!opts.dryRun && !remote) {
    throw new CliError('wrangler cannot reach your Cloudflare account', { hint: 'Run `wrangler login` (or set CLOUDFLARE_API_TOKEN), then deploy again.' })
  }
  const p = plan(r, config, { env: opts.env, required: requiredSecrets(project.config), hasPython: project.steps.some((s) => s.python), remote })
  if (!opts.json) printPlan(p, !!opts.dryRun)
  if (opts.dryRun) return p
  const missing = p.secrets.filter((s) => s.action === 'missing').map((s) => s.name)
  if (missing.length) {
    throw new CliError(`missing required secret${missing.length === 1 ? '' : 's'}: ${missing.join(', ')}; nothing was uploaded`, {
      hint: `Set each with \`wrangler secret put NAME${opts.env ? ` --env ${opts.env}` : ''}\`, or in the environment of this command (it is then uploaded with the deployment).`,
    })
  }
  for (const q of p.createQueues ?? []) {
    if (!opts.json) console.log(`  creating queue ${q}`)
    await wrangler(opts.root, ['queues', 'create', q])
  }
  const upload: Record<string, string> = {}
  for (const s of p.secrets) {
    if (s.action === 'from-env') upload[s.name] = process.env[s.name] as string
    if (s.action === 'generate' && s.name === PYTHON_SECRET) upload[s.name] = randomBytes(24).toString('hex')
  }
  if (r.pythonWorker) await deployPythonWorker(opts.root, r, config, envArgs, !opts.json)
  if (!opts.json) stepLine(`deploying ${p.name} (wrangler deploy)`)
  const secrets = secretsFile(upload)
  let deployed: string
  try {
    deployed = await wrangler(opts.root, ['deploy', '--config', r.configPath, ...envArgs, ...secrets.args])
  } finally {
    secrets.dispose()
  }
  const urls = [...new Set(deployed.match(/https:\/\/\S+/g) ?? [])]
  if (!opts.json) {
    console.log(`${color.green('Deployed')} ${p.name}${urls.length ? `: ${urls.join(', ')}` : ''}`)
    if (Object.keys(upload).length) console.log(`  secrets set: ${Object.keys(upload).join(', ')}`)
  }
  return p
}
