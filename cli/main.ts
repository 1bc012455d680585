/**
 * The `stepflare` command.
 * @module
 */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Command, InvalidArgumentError } from 'commander'
import { build, printBuild } from './build'
import { PACKAGE_ROOT } from './bundle-modules'
import { registerCreate } from './create/register'
import { deploy } from './deploy'
import { dev } from './dev'
import { dlqDiscard, dlqList, dlqRedrive } from './dlq'
import { emit } from './emit'
import { CliError } from './errors'
import { registerInspect } from './inspect/register'
import { prepare } from './prepare'
import { preview } from './preview'
import { color, stepLine } from './print'
import { registerTypes } from './types/register'

const version = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version

function port(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number between 0 and 65535')
  return n
}

const defaultPort = () => (process.env.PORT ? port(process.env.PORT) : 8787)

export function program(): Command {
  const p = new Command('stepflare').description('Step files in, one Cloudflare Worker out.').version(version)
  p.command('dev')
    .description('run the project under wrangler dev, with crons firing and reloads on change')
    .option('-p, --port <port>', 'port to listen on (default: $PORT or 8787)', port)
    .option('--persist-to <dir>', 'where local state is kept', '.wrangler/state')
    .option('--root <dir>', 'project root', '.')
    .option('--json', 'print log records as JSON lines')
    .option('--open', 'open the workbench in a browser once ready')
    .option('--inspector-port <port>', 'serve the Chrome DevTools inspector of the Worker on this port (debugger, CPU profiles)', port)
    .action((o) => dev({ root: o.root, port: o.port ?? defaultPort(), persistTo: o.persistTo, json: o.json, open: o.open, inspectorPort: o.inspectorPort }))
  p.command('preview')
    .description('build what deploy uploads and serve it locally with production defaults (locked system routes, 8 trace shards)')
    .option('-p, --port <port>', 'port to listen on (default: $PORT or 8787)', port)
    .option('--root <dir>', 'project root', '.')
    .option('-e, --env <name>', 'wrangler environment')
    .option('--persist-to <dir>', 'where local state is kept', '.wrangler/preview')
    .option('--json', 'print log records as JSON lines')
    .action((o) => preview({ root: o.root, port: o.port ?? defaultPort(), env: o.env, persistTo: o.persistTo, json: o.json }))
  p.command('generate')
    .description("validate and write .stepflare/ (the Worker entry and its configuration) without bundling: a wrangler custom build's command")
    .option('--root <dir>', 'project root', '.')
    .action(async (o) => {
      await prepare(resolve(o.root))
    })
  p.command('build')
    .description('validate, generate and bundle the Worker without deploying')
    .option('--root <dir>', 'project root', '.')
    .option('-e, --env <name>', 'wrangler environment')
    .option('--outdir <dir>', 'where the bundle goes', '.stepflare/dist')
    .option('--json', 'print the result as JSON')
    .action(async (o) => {
      const r = await build({ root: o.root, env: o.env, outDir: o.outdir, ...(o.json ? {} : { progress: stepLine }) })
      if (o.json) console.log(JSON.stringify(r))
      else printBuild(r)
    })
  p.command('emit')
    .description('emit an event into the running dev server')
    .requiredOption('-t, --topic <topic>', 'topic to emit')
    .option('-d, --data <json>', 'event data as JSON', '{}')
    .option('-m, --message <json>', "Motia's name for --data")
    .option('-g, --group <id>', 'messageGroupId (FIFO subscribers)')
    .option('-p, --port <port>', 'dev server port (default: $PORT or 8787)', port)
    .action((o) => emit({ topic: o.topic, data: o.message ?? o.data, group: o.group, port: o.port ?? defaultPort() }))
  const dlq = p.command('dlq').description('list, redrive or discard dead letters')
  const target = (o: { port?: number; url?: string; token?: string }) => ({
    url: o.url ?? `http://127.0.0.1:${o.port ?? defaultPort()}`,
    token: o.token ?? process.env.STEPFLARE_SYSTEM_TOKEN,
  })
  const common = (c: Command) =>
    c
      .option('--step <name>', 'only this step')
      .option('--topic <topic>', 'only this topic')
      .option('--trace <traceId>', 'only this trace')
      .option('-p, --port <port>', 'dev server port (default: $PORT or 8787)', port)
      .option('--url <url>', 'a deployed Worker instead of the dev server')
      .option('--token <token>', 'system token (default: $STEPFLARE_SYSTEM_TOKEN)')
  common(dlq.command('list'))
    .option('--json', 'print JSON')
    .action((o) => dlqList(target(o), o, o.json))
  common(dlq.command('redrive [id]'))
    .option('--all', 'every dead letter (that matches the filters)')
    .action((id, o) => dlqRedrive(target(o), id, o))
  common(dlq.command('discard [id]'))
    .option('--all', 'every dead letter (that matches the filters)')
    .action((id, o) => dlqDiscard(target(o), id, o))
  p.command('deploy')
    .description('build, check secrets, create missing queues, and deploy with wrangler (the Python Worker first)')
    .option('--root <dir>', 'project root', '.')
    .option('-e, --env <name>', 'wrangler environment (an env.<name> block of your wrangler config)')
    .option('--dry-run', 'bundle, write the full configuration and print the plan (what exists, what would be created or set); upload nothing')
    .option('--json', 'print the plan as JSON')
    .action(async (o) => {
      const p = await deploy({ root: o.root, env: o.env, dryRun: o.dryRun, json: o.json })
      if (o.json) console.log(JSON.stringify(p))
    })
  registerTypes(p)
  registerCreate(p)
  registerInspect(p)
  return p
}

export async function main(argv: string[]): Promise<void> {
  try {
    await program().parseAsync(argv)
  } catch (err) {
    if (err instanceof CliError) {
      console.error(`${color.red('✖')} ${err.message}`)
      if (err.hint) console.error(`  ${err.hint}`)
      process.exit(err.exitCode)
    }
    throw err
  }
}
