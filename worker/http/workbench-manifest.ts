/**
 * `GET /__stepflare/manifest`: the running Worker's steps and streams as plain JSON, in the shape
 * of `.stepflare/manifest.json` (schemas as JSON Schema, functions reduced to counts), built from
 * the live step registry the first time the workbench asks and kept for the isolate's life.
 * @module
 */
import type { StepModel } from '../../sdk/config/model'
import { serializeTrigger } from '../../sdk/config/serialize'
import type { Runtime } from '../runtime'

export interface WorkbenchManifest {
  version: 1
  steps: (Omit<StepModel, 'triggers'> & { triggers: Record<string, unknown>[] })[]
  streams: { name: string; schema?: Record<string, unknown> }[]
}

/** zod 4 schemas convert themselves; JSON Schema passes as it is; anything else is described. */
export function jsonSchemaOf(schema: unknown): Record<string, unknown> | undefined {
  if (schema === undefined || schema === null || typeof schema !== 'object') return undefined
  const s = schema as { _zod?: unknown; toJSONSchema?: (p: unknown) => unknown; safeParse?: unknown }
  if (s._zod && typeof s.toJSONSchema === 'function') {
    try {
      return s.toJSONSchema({ unrepresentable: 'any', io: 'input' }) as Record<string, unknown>
    } catch (err) {
      return { description: `zod schema that could not be converted: ${(err as Error).message}` }
    }
  }
  if (typeof s.safeParse === 'function') return { description: 'zod 3 schema (validated at runtime)' }
  return schema as Record<string, unknown>
}

const cache = new WeakMap<Runtime, WorkbenchManifest>()
const versions = new WeakMap<Runtime, string>()

/** A short hash of the manifest: the workbench reloads the manifest when it changes (a reload of `dev`, a deploy). */
export function manifestVersion(rt: Runtime): string {
  let v = versions.get(rt)
  if (!v) {
    // FNV-1a over the manifest's JSON: cheap, once per isolate.
    let h = 0x811c9dc5
    const text = JSON.stringify(workbenchManifest(rt))
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
    v = (h >>> 0).toString(36)
    versions.set(rt, v)
  }
  return v
}

export function workbenchManifest(rt: Runtime): WorkbenchManifest {
  let m = cache.get(rt)
  if (!m) {
    m = {
      version: 1,
      steps: rt
        .models()
        .map((s) => ({ ...s, triggers: s.triggers.map((t) => serializeTrigger(t, jsonSchemaOf)) }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      streams: [...rt.streams.values()].map((s) => ({ name: s.name, schema: jsonSchemaOf(s.schema) })),
    }
    cache.set(rt, m)
  }
  return m
}
