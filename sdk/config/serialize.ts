/**
 * A trigger as plain JSON (schemas converted by the caller's converter, functions reduced to a
 * count or a flag), for `.stepflare/manifest.json` and the workbench's `GET /__stepflare/manifest`.
 * @module
 */
import type { TriggerModel } from './model'

export type SchemaToJson = (schema: unknown) => Record<string, unknown> | undefined

export interface SerializedTrigger {
  type: TriggerModel['type']
  [key: string]: unknown
}

export function serializeTrigger(t: TriggerModel, toJson: SchemaToJson): SerializedTrigger {
  const conditional = t.condition ? { conditional: true } : {}
  switch (t.type) {
    case 'http':
      return {
        type: 'http',
        method: t.method,
        path: t.path,
        queryParams: t.queryParams,
        middleware: t.middleware.length,
        ...(t.bodySchema ? { bodySchema: toJson(t.bodySchema) } : {}),
        ...(t.bodyTypes ? { bodyTypes: t.bodyTypes } : {}),
        ...(t.responseSchema ? { responseSchema: Object.fromEntries(Object.entries(t.responseSchema).map(([k, v]) => [k, toJson(v)])) } : {}),
        ...conditional,
      }
    case 'queue':
      return { type: 'queue', topic: t.topic, queue: t.queue, ...(t.input ? { input: toJson(t.input) } : {}), ...conditional }
    case 'cron':
      return { type: 'cron', expression: t.expression, seconds: t.seconds, ...conditional }
    case 'state':
      return { type: 'state', ...conditional }
    case 'stream':
      return { type: 'stream', streamName: t.streamName, groupId: t.groupId, itemId: t.itemId, ...conditional }
  }
}
