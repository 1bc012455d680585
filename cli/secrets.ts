/**
 * Local secrets and the `secrets.required` check. Wrangler reads `.dev.vars` (or `.env`, and
 * `.dev.vars.<env>` / `.env.<env>`) beside its config file, which stepflare generates in
 * `.stepflare/`: the user's files are copied there (never edited). A name listed in
 * `secrets.required` and missing locally stops `dev`; one missing remotely is reported by `deploy`.
 * @module
 */
import { copyFileSync, existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { ProjectConfig } from '../sdk/project-config'
import { CliError } from './errors'

export function localSecretFiles(env?: string): string[] {
  return env ? [`.dev.vars.${env}`, `.env.${env}`, '.dev.vars', '.env'] : ['.dev.vars', '.env']
}

/** Copies the project's local secret files next to the generated config, where wrangler looks. */
export function syncSecretFiles(root: string, outDir: string): void {
  for (const f of ['.dev.vars', '.env']) {
    const src = join(root, f)
    const dst = join(outDir, f)
    if (existsSync(src)) copyFileSync(src, dst)
    else if (existsSync(dst)) rmSync(dst)
  }
}

/** Names defined in a dotenv-style file (KEY=value lines). */
export function parseNames(text: string): string[] {
  return text
    .split('\n')
    .map((l) => /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(l)?.[1])
    .filter((n): n is string => !!n)
}

export function requiredSecrets(config: ProjectConfig): string[] {
  const r = (config.secrets as { required?: unknown } | undefined)?.required
  return Array.isArray(r) ? r.filter((x): x is string => typeof x === 'string') : []
}

/** Throws naming every required secret that no local file and no environment variable defines. */
export function checkLocalSecrets(root: string, config: ProjectConfig, vars: Record<string, unknown> = {}): void {
  const required = requiredSecrets(config)
  if (required.length === 0) return
  const defined = new Set<string>([...Object.keys(vars), ...Object.keys(process.env)])
  for (const f of localSecretFiles()) {
    const p = join(root, f)
    if (existsSync(p)) for (const n of parseNames(readFileSync(p, 'utf8'))) defined.add(n)
  }
  const missing = required.filter((n) => !defined.has(n))
  if (missing.length) {
    throw new CliError(`missing required secret${missing.length === 1 ? '' : 's'}: ${missing.join(', ')}`, {
      hint: `Add ${missing.map((n) => `${n}=…`).join(', ')} to .dev.vars (or .env) in ${root}; in production set each with \`wrangler secret put NAME\`.`,
    })
  }
}
