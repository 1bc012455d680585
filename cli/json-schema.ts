/**
 * Turns a step's schema into JSON Schema for the manifest (types, workbench forms, OpenAPI):
 * zod 4 through `z.toJSONSchema`, JSON Schema as it is. A zod 3 schema is described, not converted.
 * @module
 */
import { z } from 'zod'

export function toJsonSchema(schema: unknown): Record<string, unknown> | undefined {
  if (schema === undefined || schema === null) return undefined
  if (typeof schema === 'object' && '_zod' in schema) {
    try {
      return z.toJSONSchema(schema as z.ZodType, { unrepresentable: 'any', io: 'input' }) as Record<string, unknown>
    } catch (err) {
      return { description: `zod schema that could not be converted: ${(err as Error).message}` }
    }
  }
  if (typeof schema === 'object' && typeof (schema as { safeParse?: unknown }).safeParse === 'function') {
    return { description: 'zod 3 schema (validated at runtime; upgrade to zod 4 for generated JSON Schema)' }
  }
  return schema as Record<string, unknown>
}
