/**
 * `stepflare types [--root] [--no-bindings] [--json]`: validates the project, generates
 * `.stepflare/` and writes `.stepflare/types.d.ts` (the typed `Handlers` map, stream item types)
 * and `.stepflare/worker-configuration.d.ts` (the bindings' `Env`, from `wrangler types`).
 * @module
 */
import { relative, resolve } from 'node:path'
import { prepare } from '../prepare'
import { color } from '../print'
import { writeBindingTypes, writeTypes } from './write-types'

export interface TypesOptions {
  root: string
  /** Also run `wrangler types` for the bindings (default true). */
  bindings?: boolean
  json?: boolean
}

export interface TypesResult {
  types: string
  bindings?: string
  handlers: number
  streams: number
}

export async function typesCommand(opts: TypesOptions): Promise<TypesResult> {
  const root = resolve(opts.root)
  const { project, generated } = await prepare(root)
  const types = await writeTypes(project)
  const bindings = opts.bindings === false ? undefined : await writeBindingTypes(root, generated.configPath)
  const result: TypesResult = {
    types: types.path,
    ...(bindings ? { bindings: bindings.path } : {}),
    handlers: project.steps.filter((s) => s.model.kind !== 'noop' && s.model.language !== 'python').length,
    streams: project.streams.length,
  }
  if (opts.json) console.log(JSON.stringify(result))
  else {
    const rel = (p: string) => relative(process.cwd(), p) || p
    console.log(`${color.green('Types')} ${rel(result.types)}  ${result.handlers} handler(s), ${result.streams} stream(s)`)
    if (result.bindings) console.log(`${color.green('Bindings')} ${rel(result.bindings)}  (the Env interface, from wrangler types)`)
  }
  return result
}
