import type { JsonSchema } from '../../lib/types'

/** The kind of input a schema property gets in the form. */
export type FieldKind = 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'json'

export function typeOf(s: JsonSchema): string | undefined {
  if (Array.isArray(s.type)) return s.type.find((t) => t !== 'null')
  return s.type
}

export function fieldKind(s: JsonSchema): FieldKind {
  if (Array.isArray(s.enum) && s.enum.every((v) => typeof v === 'string')) return 'enum'
  const t = typeOf(s)
  return t === 'string' || t === 'number' || t === 'integer' || t === 'boolean' ? t : 'json'
}

/** A starting value for a schema: defaults and consts first, then the smallest valid-looking value. */
export function exampleOf(s: JsonSchema | undefined, depth = 0): unknown {
  if (!s || depth > 6) return undefined
  if (s.default !== undefined) return s.default
  if (s.const !== undefined) return s.const
  if (Array.isArray(s.enum)) return s.enum[0]
  const alt = s.anyOf ?? s.oneOf
  if (alt?.[0]) return exampleOf(alt[0], depth + 1)
  switch (typeOf(s)) {
    case 'object': {
      const out: Record<string, unknown> = {}
      for (const key of s.required ?? []) {
        const prop = s.properties?.[key]
        if (prop) out[key] = exampleOf(prop, depth + 1)
      }
      return out
    }
    case 'array':
      return []
    case 'string':
      return ''
    case 'number':
    case 'integer':
      return typeof s.minimum === 'number' ? s.minimum : typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum + 1 : 0
    case 'boolean':
      return false
    case 'null':
      return null
    default:
      return undefined
  }
}

/** `/orders/:id/items/:item` → `['id', 'item']` */
export function pathParams(path: string): string[] {
  return path
    .split('/')
    .filter((seg) => seg.startsWith(':'))
    .map((seg) => seg.slice(1))
}

export function fillPath(path: string, values: Record<string, string>): string {
  return path
    .split('/')
    .map((seg) => (seg.startsWith(':') ? encodeURIComponent(values[seg.slice(1)] ?? '') : seg))
    .join('/')
}
