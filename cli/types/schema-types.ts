/**
 * Schema → type text for one generated file: converts zod or JSON Schema through JSON Schema,
 * collects the aliases `$ref`s need, and converts each schema object once (a step's `input` is
 * seen both as a topic's data and as the handler's input).
 * @module
 */
import { toJsonSchema } from '../json-schema'
import { schemaToTs, TypeNames } from './json-schema-to-ts'

export class SchemaTypes {
  readonly declarations: string[] = []
  private readonly seen = new WeakMap<object, string>()

  constructor(readonly names: TypeNames = new TypeNames()) {}

  /** The type of `schema`, or `fallback` when there is none; `prefix` names its aliases. */
  type(schema: unknown, prefix: string, fallback = 'unknown'): string {
    if (schema === undefined || schema === null) return fallback
    const cached = typeof schema === 'object' ? this.seen.get(schema) : undefined
    if (cached) return cached
    const r = schemaToTs(toJsonSchema(schema), prefix, this.names)
    this.declarations.push(...r.declarations)
    if (typeof schema === 'object') this.seen.set(schema, r.type)
    return r.type
  }
}
