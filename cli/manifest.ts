/**
 * `.stepflare/manifest.json`: the project's steps as plain JSON (schemas as JSON Schema, functions
 * reduced to their count) for the system routes, the workbench, types and `stepflare flows`.
 * @module
 */
import type { StepModel, TriggerModel } from '../sdk/config/model'
import { toJsonSchema } from './json-schema'

export interface ManifestTrigger {
  type: TriggerModel['type']
  [key: string]: unknown
}

export interface ManifestStep extends Omit<StepModel, 'triggers'> {
  triggers: ManifestTrigger[]
}

export interface Manifest {
  version: 1
  name: string
  steps: ManifestStep[]
}

function serializeTrigger(t: TriggerModel): ManifestTrigger {
  switch (t.type) {
    case 'http':
      return {
        type: 'http',
        method: t.method,
        path: t.path,
        queryParams: t.queryParams,
        middleware: t.middleware.length,
        ...(t.bodySchema ? { bodySchema: toJsonSchema(t.bodySchema) } : {}),
        ...(t.responseSchema ? { responseSchema: Object.fromEntries(Object.entries(t.responseSchema).map(([k, v]) => [k, toJsonSchema(v)])) } : {}),
        ...(t.condition ? { conditional: true } : {}),
      }
    case 'queue':
      return {
        type: 'queue',
        topic: t.topic,
        queue: t.queue,
        ...(t.input ? { input: toJsonSchema(t.input) } : {}),
        ...(t.condition ? { conditional: true } : {}),
      }
    case 'cron':
      return { type: 'cron', expression: t.expression, seconds: t.seconds, ...(t.condition ? { conditional: true } : {}) }
    case 'state':
      return { type: 'state', ...(t.condition ? { conditional: true } : {}) }
    case 'stream':
      return { type: 'stream', streamName: t.streamName, groupId: t.groupId, itemId: t.itemId }
  }
}

export function buildManifest(name: string, steps: StepModel[]): Manifest {
  return { version: 1, name, steps: steps.map((s) => ({ ...s, triggers: s.triggers.map(serializeTrigger) })) }
}
