/**
 * Secrets `stepflare dev` makes for one run (the Python bridge's) reach wrangler in a dotenv file
 * only the user can read — a fresh `0700` directory under the system's temp dir, the file `0600`,
 * removed when `dev` stops — never on a command line, where `ps` shows them to every local user.
 *
 * Wrangler reads vars from `--env-file` files instead of `.dev.vars` when any is given, so the
 * project's own `.dev.vars` (or, without one, `.env`), copied beside the generated config, is passed
 * first, in the same precedence wrangler gives them. Only files that exist are passed: Node 20 reads
 * `--env-file` anywhere on its command line, wrangler's included, and exits on a missing one.
 * @module
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface DevSecrets {
  /** `--env-file` arguments for `wrangler dev`. */
  args: string[]
  /** Removes the file and its directory. */
  dispose(): void
}

export function writeDevSecrets(outDir: string, vars: Record<string, string>): DevSecrets {
  const dir = mkdtempSync(join(tmpdir(), 'stepflare-dev-'))
  const file = join(dir, 'secrets.env')
  const text = Object.entries(vars)
    .map(([k, v]) => `${k}=${v}\n`)
    .join('')
  writeFileSync(file, text, { mode: 0o600 })
  const devVars = join(outDir, '.dev.vars')
  const dotEnv = join(outDir, '.env')
  const loadDotEnv = process.env.CLOUDFLARE_LOAD_DEV_VARS_FROM_DOT_ENV !== 'false'
  const own = existsSync(devVars) ? [devVars] : loadDotEnv && existsSync(dotEnv) ? [dotEnv] : []
  return {
    args: [...own, file].flatMap((f) => ['--env-file', f]),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  }
}
