/**
 * One way to check data against a step's schema, whichever kind it is: a zod schema (3 or 4, any
 * copy of the library) or a JSON Schema object (checked with @cfworker/json-schema, which needs
 * no `eval` and so runs in Workers).
 * @module
 */
import { Validator } from '@cfworker/json-schema'
import type { ValidationIssue } from './errors'
import type { JsonSchema, StepSchemaInput, ZodLikeSchema } from './types'

export function isZodLike(schema: unknown): schema is ZodLikeSchema {
  return typeof schema === 'object' && schema !== null && typeof (schema as ZodLikeSchema).safeParse === 'function'
}

export type CheckResult = { ok: true; data: unknown } | { ok: false; issues: ValidationIssue[] }

interface ZodIssueLike {
  path?: (string | number)[]
  message?: string
}

const validators = new WeakMap<object, Validator>()

function jsonPointerToPath(pointer: string): string {
  return pointer.replace(/^#\/?/, '').split('/').filter(Boolean).join('.')
}

export function checkSchema(schema: StepSchemaInput, data: unknown): CheckResult {
  if (isZodLike(schema)) {
    const r = schema.safeParse(data)
    if (r.success) return { ok: true, data: r.data }
    const issues = ((r.error as { issues?: ZodIssueLike[] })?.issues ?? []).map((i) => ({
      path: (i.path ?? []).join('.'),
      message: i.message ?? 'invalid',
    }))
    return { ok: false, issues }
  }
  let v = validators.get(schema)
  if (!v) {
    v = new Validator(schema as JsonSchema as ConstructorParameters<typeof Validator>[0], '2020-12', false)
    validators.set(schema, v)
  }
  const r = v.validate(data)
  if (r.valid) return { ok: true, data }
  // @cfworker reports a summary issue per failing keyword up the tree; keep the leaf ones.
  const issues = r.errors
    .filter((e) => !['properties', 'allOf', 'anyOf', 'items', '$ref'].includes(e.keyword))
    .map((e) => ({ path: jsonPointerToPath(e.instanceLocation), message: e.error }))
  return { ok: false, issues: issues.length ? issues : r.errors.map((e) => ({ path: jsonPointerToPath(e.instanceLocation), message: e.error })) }
}
