/**
 * Writes the generated types: `.stepflare/types.d.ts` from the step files (fast, no process; `dev`
 * and `build` call it on every generation) and `.stepflare/worker-configuration.d.ts` from the
 * generated wrangler configuration through `wrangler types` (a second or two, so it runs only when
 * the configuration changed since the last run).
 * @module
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { CliError } from '../errors'
import type { Project } from '../project'
import { runWrangler } from '../wrangler-process'
import { renderTypes, type TypesInput } from './render-types'

export const TYPES_FILE = 'types.d.ts'
export const BINDINGS_FILE = 'worker-configuration.d.ts'

export function typesInput(project: Project): TypesInput {
  const streams = project.streams.map((s) => ({
    name: s.name,
    schema: (s.module.config as { schema?: unknown } | undefined)?.schema,
  }))
  const auth = project.config.streamAuth?.contextSchema
  return { steps: project.steps.map((s) => s.model), streams, ...(auth !== undefined ? { authContextSchema: auth } : {}) }
}

/**
 * Writes `.stepflare/types.d.ts` for the project; rewrites it only when its content changed.
 * Returns the file's path, and whether it was written.
 */
export async function writeTypes(project: Project): Promise<{ path: string; changed: boolean }> {
  const outDir = join(project.root, '.stepflare')
  const path = join(outDir, TYPES_FILE)
  const text = renderTypes(typesInput(project))
  if (existsSync(path) && readFileSync(path, 'utf8') === text) return { path, changed: false }
  await mkdir(outDir, { recursive: true })
  await writeFile(path, text)
  return { path, changed: true }
}

/**
 * Runs `wrangler types` on the generated configuration, writing the `Env` interface of the
 * Worker's bindings (no runtime types: `@cloudflare/workers-types` has those). Skipped when the
 * file is newer than the configuration, unless `force`.
 */
export async function writeBindingTypes(root: string, configPath: string, options: { force?: boolean } = {}): Promise<{ path: string; changed: boolean }> {
  const path = join(root, '.stepflare', BINDINGS_FILE)
  if (!options.force && existsSync(path) && statSync(path).mtimeMs >= statSync(configPath).mtimeMs) return { path, changed: false }
  const r = await runWrangler(root, ['types', path, '--config', configPath, '--include-runtime=false'])
  if (r.code !== 0) {
    process.stderr.write(r.stdout + r.stderr)
    throw new CliError('wrangler types failed on the generated configuration', {
      hint: `See wrangler's output above; the configuration it read is ${configPath}.`,
    })
  }
  return { path, changed: true }
}
