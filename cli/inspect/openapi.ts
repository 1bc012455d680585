/**
 * `stepflare openapi [--out file] [--title] [--api-version] [--server url]`: an OpenAPI 3.1
 * document from the API steps — path and query parameters, the request body from `bodySchema`, a
 * response per `responseSchema` status. Schemas are JSON Schema 2020-12 (what 3.1 uses); their
 * `$defs` move to `components.schemas`, because a `$ref` in the document resolves from its root.
 * @module
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import type { StepModel } from '../../sdk/config/model'
import { toJsonSchema } from '../json-schema'
import { color } from '../print'
import { readUserConfig, workerName } from '../wrangler-config'
import { loadValid, models, openApiPath, pathParamNames } from './load'

type Json = Record<string, unknown>

/** Rewrites a schema for the document: `$defs` become components, `$ref`s point at them. */
export function hoistSchema(schema: unknown, name: string, components: Json): Json | undefined {
  const js = toJsonSchema(schema)
  if (!js) return undefined
  const { $schema: _s, $defs, definitions, ...rest } = js as Json & { $defs?: Json; definitions?: Json }
  const defs = { ...((definitions as Json) ?? {}), ...(($defs as Json) ?? {}) }
  const componentName = (key: string) => `${name}${key.replace(/^_+/, '').replace(/[^A-Za-z0-9_.-]/g, '_')}`
  let selfReferenced = false
  const rewrite = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(rewrite)
    if (typeof v !== 'object' || v === null) return v
    const out: Json = {}
    for (const [k, val] of Object.entries(v)) {
      if (k === '$ref' && typeof val === 'string') {
        const m = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(val)
        if (m) out[k] = `#/components/schemas/${componentName(decodeURIComponent(m[1] as string))}`
        else if (val === '#') {
          selfReferenced = true
          out[k] = `#/components/schemas/${name}`
        } else out[k] = val
      } else out[k] = rewrite(val)
    }
    return out
  }
  for (const [key, def] of Object.entries(defs)) components[componentName(key)] = rewrite(def)
  const body = rewrite(rest) as Json
  if (!selfReferenced) return body
  components[name] = body
  return { $ref: `#/components/schemas/${name}` }
}

export interface OpenApiOptions {
  title: string
  version: string
  server?: string
}

function operation(step: StepModel, t: Extract<StepModel['triggers'][number], { type: 'http' }>, components: Json): Json {
  const parameters = [
    ...pathParamNames(t.path).map((p) => ({ name: p.name, in: 'path', required: true, schema: { type: 'string' } })),
    ...t.queryParams.map((q) => ({
      name: q.name,
      in: 'query',
      required: false,
      schema: { type: 'string' },
      ...(q.description ? { description: q.description } : {}),
    })),
  ]
  const body = t.bodySchema !== undefined ? hoistSchema(t.bodySchema, `${step.name}Body`, components) : undefined
  const responses: Json = {}
  for (const [status, schema] of Object.entries(t.responseSchema ?? {})) {
    const s = hoistSchema(schema, `${step.name}Response${status}`, components)
    responses[status] = { description: `${status} response`, ...(s ? { content: { 'application/json': { schema: s } } } : {}) }
  }
  if (Object.keys(responses).length === 0) responses.default = { description: 'The step does not declare a responseSchema' }
  if (body) responses['400'] ??= { description: 'The body does not match the schema: {error, issues}' }
  return {
    operationId: step.name,
    ...(step.description ? { summary: step.description } : {}),
    ...(step.flows.length ? { tags: step.flows } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: body } } } } : {}),
    responses,
  }
}

export function buildOpenApi(steps: StepModel[], options: OpenApiOptions): Json {
  const paths: Record<string, Json> = {}
  const components: Json = {}
  for (const step of [...steps].sort((a, b) => a.name.localeCompare(b.name))) {
    for (const t of step.triggers) {
      if (t.type !== 'http') continue
      const path = openApiPath(t.path)
      paths[path] = { ...(paths[path] ?? {}), [t.method.toLowerCase()]: operation(step, t, components) }
    }
  }
  const sorted = Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b)))
  return {
    openapi: '3.1.0',
    info: { title: options.title, version: options.version },
    ...(options.server ? { servers: [{ url: options.server }] } : {}),
    paths: sorted,
    ...(Object.keys(components).length ? { components: { schemas: components } } : {}),
  }
}

export async function openapiCommand(opts: { root: string; out?: string; title?: string; apiVersion?: string; server?: string }): Promise<void> {
  const project = await loadValid(opts.root)
  const doc = buildOpenApi(models(project), {
    title: opts.title ?? workerName(project.root, readUserConfig(project.root).config),
    version: opts.apiVersion ?? '1.0.0',
    ...(opts.server ? { server: opts.server } : {}),
  })
  const text = `${JSON.stringify(doc, null, 2)}\n`
  if (!opts.out) {
    process.stdout.write(text)
    return
  }
  const out = resolve(opts.out)
  await mkdir(dirname(out), { recursive: true })
  await writeFile(out, text)
  console.error(`${color.green('OpenAPI')} ${Object.keys(doc.paths as Json).length} path(s) written to ${opts.out}`)
}
