/**
 * The generated wrangler configuration: the user's own `wrangler.json|jsonc|toml` (never edited)
 * plus what stepflare infers — the event queue with its consumer and dead-letter queue, the
 * deduplicated cron triggers, the Durable Object bindings and migrations, `nodejs_compat`, the
 * `motia` alias and `keep_names: false` (see {@link KEEP_NAMES}). Written to `.stepflare/wrangler.json`.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs'
import { basename, isAbsolute, join, relative } from 'node:path'
import { type ParseError, parse as parseJsonc, printParseErrorCode } from 'jsonc-parser'
import { parse as parseToml } from 'smol-toml'
import type { StepModel } from '../sdk/config/model'
import type { ProjectConfig } from '../sdk/project-config'
import { MOTIA_PLUGIN_STUB, SDK_ENTRY } from './bundle-modules'
import { CliError } from './errors'

export const USER_CONFIG_FILES = ['wrangler.json', 'wrangler.jsonc', 'wrangler.toml'] as const
export const DEFAULT_COMPATIBILITY_DATE = '2026-04-20'
/**
 * Wrangler's default, `keep_names: true`, makes esbuild wrap every named function, and every arrow
 * in a class field, in a `__name()` call (an `Object.defineProperty`) that runs each time the
 * function is created: about 20 per API request, 15 of them in Hono's `Context`. Off, a request
 * costs the Worker ~0.03 ms less CPU (bench/RESULTS.md). Names stay as written, except that a
 * top-level binding esbuild renames to avoid a clash reports the new name; a project that needs
 * them sets `keep_names` in its own wrangler config, which wins.
 */
export const KEEP_NAMES = false
export const OBJECT_CLASSES = ['TraceObject', 'StateObject', 'IndexObject', 'SchedulerObject', 'FifoObject', 'StreamObject', 'StreamHub'] as const
const BINDINGS: Record<(typeof OBJECT_CLASSES)[number], string> = {
  TraceObject: 'STEPFLARE_TRACE',
  StateObject: 'STEPFLARE_STATE',
  IndexObject: 'STEPFLARE_INDEX',
  SchedulerObject: 'STEPFLARE_SCHEDULER',
  FifoObject: 'STEPFLARE_FIFO',
  StreamObject: 'STEPFLARE_STREAM',
  StreamHub: 'STEPFLARE_HUB',
}

// biome-ignore lint/suspicious/noExplicitAny: wrangler's config is an open JSON shape
export type WranglerConfig = Record<string, any>

export interface UserWranglerConfig {
  file?: string
  config: WranglerConfig
}

export function readUserConfig(root: string): UserWranglerConfig {
  const file = USER_CONFIG_FILES.find((f) => existsSync(join(root, f)))
  if (!file) return { config: {} }
  const text = readFileSync(join(root, file), 'utf8')
  if (file.endsWith('.toml')) {
    try {
      return { file, config: parseToml(text) as WranglerConfig }
    } catch (err) {
      throw new CliError(`${file}: not valid TOML: ${(err as Error).message}`, { hint: 'Fix the syntax error in your wrangler configuration.' })
    }
  }
  const errors: ParseError[] = []
  const config = parseJsonc(text, errors, { allowTrailingComma: true }) as WranglerConfig
  if (errors.length) {
    const e = errors[0] as ParseError
    const line = text.slice(0, e.offset).split('\n').length
    throw new CliError(`${file}:${line}: not valid JSON: ${printParseErrorCode(e.error)}`, { hint: 'Fix the syntax error in your wrangler configuration.' })
  }
  return { file, config: config ?? {} }
}

export function workerName(root: string, user: WranglerConfig): string {
  const raw = typeof user.name === 'string' && user.name ? user.name : basename(root)
  return (
    raw
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'stepflare-app'
  )
}

/** Re-anchors a path written relative to the user's config so it still works from `.stepflare/`. */
function rebase(root: string, outDir: string, p: unknown): unknown {
  return typeof p === 'string' && !isAbsolute(p) ? relative(outDir, join(root, p)) || '.' : p
}

export function queueNames(name: string, env?: string) {
  const base = env ? `${name}-${env}` : name
  return { events: `${base}-events`, dlq: `${base}-events-dlq` }
}

/** The `@motiadev/*` modules a project config imports, requires or loads: each is stubbed in the Worker. */
export function motiaImports(root: string, configFile: string | undefined): string[] {
  if (!configFile) return []
  const text = readFileSync(join(root, configFile), 'utf8')
  const found = text.matchAll(/(?:from\s+|require\s*\(\s*|import\s*\(\s*)['"](@motiadev\/[^'"]+)['"]/g)
  return [...new Set([...found].map((m) => m[1] as string))]
}

interface Inferred {
  name: string
  steps: StepModel[]
  project: ProjectConfig
  motiaModules: string[]
}

/**
 * The events queue's consumer batch: up to 100 messages (the platform's maximum), with no window.
 * Large batches because Miniflare's local queue dispatches one batch at a time, so under
 * `stepflare dev` the batch size is what lets the consumer keep pace with a load; deployed, a
 * batch is split by trace shard, and a larger one gives each shard call more to carry. No window
 * because a lone event would wait for it: a chain's first event goes through the queue, and the
 * consumer continues the rest itself (docs/architecture.md).
 */
export const DEFAULT_BATCH_SIZE = 100
export const DEFAULT_BATCH_TIMEOUT_S = 0

/** Adds stepflare's bindings to one environment block (top level, or one `env.<name>`). */
function addBindings(block: WranglerConfig, inf: Inferred, envName?: string): WranglerConfig {
  const q = queueNames(inf.name, envName)
  const queue = inf.project.queue ?? {}
  const out: WranglerConfig = { ...block }
  out.durable_objects = {
    ...(block.durable_objects ?? {}),
    bindings: [...((block.durable_objects?.bindings as unknown[]) ?? []), ...OBJECT_CLASSES.map((c) => ({ name: BINDINGS[c], class_name: c }))],
  }
  out.queues = {
    ...(block.queues ?? {}),
    producers: [...((block.queues?.producers as unknown[]) ?? []), { binding: 'STEPFLARE_QUEUE', queue: q.events }],
    consumers: [
      ...((block.queues?.consumers as unknown[]) ?? []),
      {
        queue: q.events,
        max_batch_size: queue.maxBatchSize ?? DEFAULT_BATCH_SIZE,
        max_batch_timeout: queue.maxBatchTimeout ?? DEFAULT_BATCH_TIMEOUT_S,
        max_retries: 10,
        dead_letter_queue: q.dlq,
      },
      { queue: q.dlq, max_batch_size: 10, max_batch_timeout: 1, max_retries: 10 },
    ],
  }
  const crons = new Set<string>((block.triggers?.crons as string[]) ?? [])
  for (const s of inf.steps) {
    for (const t of s.triggers) {
      if (t.type !== 'cron') continue
      // 6-field expressions run on the scheduler object's alarm; a per-minute tick keeps it armed.
      crons.add(t.seconds ? '* * * * *' : t.expression.trim().split(/\s+/).join(' '))
    }
  }
  out.triggers = { ...(block.triggers ?? {}), crons: [...crons] }
  // The consumer tells its own queues from any other queue this Worker consumes.
  out.vars = { ...(block.vars ?? {}), STEPFLARE_EVENTS_QUEUE: q.events, STEPFLARE_DEAD_LETTER_QUEUE: q.dlq }
  return out
}

export function buildWranglerConfig(root: string, outDir: string, user: UserWranglerConfig, inf: Omit<Inferred, 'name'>): WranglerConfig {
  const name = workerName(root, user.config)
  const full: Inferred = { ...inf, name }
  const { env: userEnvs, main: _ignoredMain, ...rest } = user.config
  const base: WranglerConfig = { ...rest }
  if (base.assets?.directory) base.assets = { ...base.assets, directory: rebase(root, outDir, base.assets.directory) }
  if (base.tsconfig) base.tsconfig = rebase(root, outDir, base.tsconfig)
  if (Array.isArray(base.d1_databases)) {
    base.d1_databases = base.d1_databases.map((d: WranglerConfig) => (d.migrations_dir ? { ...d, migrations_dir: rebase(root, outDir, d.migrations_dir) } : d))
  }
  const alias: Record<string, string> = { ...(base.alias ?? {}), motia: SDK_ENTRY, stepflare: SDK_ENTRY, '@motiadev/core': SDK_ENTRY }
  for (const m of inf.motiaModules) if (!(m in alias)) alias[m] = MOTIA_PLUGIN_STUB
  const config: WranglerConfig = {
    $schema: undefined,
    ...addBindings(base, full),
    name,
    main: './entry.ts',
    compatibility_date: base.compatibility_date ?? DEFAULT_COMPATIBILITY_DATE,
    compatibility_flags: [...new Set([...((base.compatibility_flags as string[]) ?? []), 'nodejs_compat'])],
    keep_names: base.keep_names ?? KEEP_NAMES,
    alias,
    migrations: [...((base.migrations as unknown[]) ?? []), { tag: 'stepflare-v1', new_sqlite_classes: [...OBJECT_CLASSES] }],
  }
  delete config.$schema
  if (userEnvs && typeof userEnvs === 'object') {
    config.env = Object.fromEntries(
      Object.entries(userEnvs as Record<string, WranglerConfig>).map(([envName, block]) => [envName, addBindings(block, full, envName)]),
    )
  }
  return config
}
