/**
 * JSON Schema → TypeScript type text, for the generated `.stepflare/types.d.ts`. Covers what zod 4's
 * `toJSONSchema` and hand-written step schemas use: objects (`required`, `additionalProperties`),
 * arrays and tuples, `enum`, `const`, `anyOf`/`oneOf`/`allOf`, type lists, OpenAPI's `nullable`,
 * and `$ref` to `#`, `#/$defs/…` and `#/definitions/…`. A referenced schema becomes a named type
 * alias (so recursive schemas work); anything it does not understand becomes `unknown`, never an
 * error, so a schema can only make types looser than they should be, not break them.
 * @module
 */

type Schema = Record<string, unknown>

/** Hands out identifiers that are unique within one generated file. */
export class TypeNames {
  private readonly used = new Set<string>()
  take(wanted: string): string {
    const base = identifier(wanted)
    let name = base
    for (let i = 2; this.used.has(name); i++) name = `${base}${i}`
    this.used.add(name)
    return name
  }
}

/** `order.created` → `OrderCreated`; a leading digit gets an underscore. */
export function identifier(text: string): string {
  const words = text.split(/[^A-Za-z0-9]+/).filter(Boolean)
  const joined = words.map((w) => w[0]?.toUpperCase() + w.slice(1)).join('') || 'T'
  return /^[0-9]/.test(joined) ? `_${joined}` : joined
}

/** A property key as it must be written in a type literal. */
export function propertyKey(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : JSON.stringify(key)
}

export interface ConvertResult {
  /** The type, e.g. `{ id: string; tags?: string[] }`. */
  type: string
  /** `type X = …` aliases the type refers to (from `$ref`s). */
  declarations: string[]
}

const isSchema = (s: unknown): s is Schema => typeof s === 'object' && s !== null && !Array.isArray(s)

function union(types: string[]): string {
  const unique = [...new Set(types)]
  if (unique.includes('unknown')) return 'unknown'
  const rest = unique.filter((t) => t !== 'never')
  return rest.length === 0 ? 'never' : rest.join(' | ')
}

/** Parenthesises a union or intersection used inside an intersection. */
const group = (t: string) => (/[|&]/.test(t) && !/^\{.*\}$/.test(t) ? `(${t})` : t)

function intersection(types: string[]): string {
  const unique = [...new Set(types)].filter((t) => t !== 'unknown')
  if (unique.length === 0) return 'unknown'
  return unique.length === 1 ? (unique[0] as string) : unique.map(group).join(' & ')
}

const arrayOf = (t: string) => (/^[A-Za-z0-9_$.]+$/.test(t) ? `${t}[]` : `Array<${t}>`)

class Converter {
  private readonly declarations: string[] = []
  private readonly refNames = new Map<string, string>()

  constructor(
    private readonly root: unknown,
    private readonly prefix: string,
    private readonly names: TypeNames,
  ) {}

  run(): ConvertResult {
    const type = this.convert(this.root)
    // A root that refers to itself is declared under the prefix and used by name.
    const self = this.refNames.get('#')
    return { type: self ?? type, declarations: this.declarations }
  }

  private convert(s: unknown): string {
    if (s === false) return 'never'
    if (!isSchema(s)) return 'unknown'
    let type = this.structural(s)
    const alternatives = (s.anyOf ?? s.oneOf) as unknown
    if (Array.isArray(alternatives)) {
      const alt = union(alternatives.map((a) => this.convert(a)))
      type = intersection([type, alt])
    }
    if (Array.isArray(s.allOf)) type = intersection([type, ...s.allOf.map((a) => this.convert(a))])
    if (s.nullable === true && type !== 'unknown') type = union([type, 'null'])
    return type
  }

  /** The schema's own keywords, without the combinators. */
  private structural(s: Schema): string {
    if (typeof s.$ref === 'string') return this.ref(s.$ref)
    if ('const' in s) return JSON.stringify(s.const) ?? 'unknown'
    if (Array.isArray(s.enum)) return union(s.enum.map((v) => JSON.stringify(v) ?? 'unknown'))
    const types = Array.isArray(s.type) ? (s.type as unknown[]) : s.type !== undefined ? [s.type] : inferType(s)
    if (types.length === 0) return 'unknown'
    return union(types.map((t) => this.ofType(String(t), s)))
  }

  private ofType(type: string, s: Schema): string {
    switch (type) {
      case 'string':
        return 'string'
      case 'number':
      case 'integer':
        return 'number'
      case 'boolean':
        return 'boolean'
      case 'null':
        return 'null'
      case 'array':
        return this.array(s)
      case 'object':
        return this.object(s)
      default:
        return 'unknown'
    }
  }

  private object(s: Schema): string {
    const props = isSchema(s.properties) ? Object.entries(s.properties) : []
    const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : [])
    const members = props.map(([key, value]) => `${propertyKey(key)}${required.has(key) ? '' : '?'}: ${this.convert(value)}`)
    const extra = s.additionalProperties
    const open = extra === true || (isSchema(extra) && Object.keys(extra).length === 0) || isSchema(s.patternProperties)
    if (isSchema(extra) && !open) {
      const value = this.convert(extra)
      if (members.length === 0) return `Record<string, ${value}>`
      members.push('[key: string]: unknown')
    } else if (open) members.push('[key: string]: unknown')
    if (members.length === 0) return extra === false ? 'Record<string, never>' : 'Record<string, unknown>'
    return `{ ${members.join('; ')} }`
  }

  private array(s: Schema): string {
    const tuple = Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : undefined
    if (tuple) {
      const rest = Array.isArray(s.prefixItems) ? s.items : s.additionalItems
      const members = tuple.map((t) => this.convert(t))
      const min = typeof s.minItems === 'number' ? s.minItems : members.length
      const written = members.map((m, i) => (i < min ? m : `${group(m)}?`))
      if (rest !== false && rest !== undefined) written.push(`...${arrayOf(this.convert(rest))}`)
      else if (rest === undefined) written.push('...unknown[]')
      return `[${written.join(', ')}]`
    }
    return arrayOf(s.items === undefined ? 'unknown' : this.convert(s.items))
  }

  private ref(ref: string): string {
    const known = this.refNames.get(ref)
    if (known) return known
    const target = resolvePointer(this.root, ref)
    if (target === undefined) return 'unknown'
    const last = ref === '#' ? '' : (ref.split('/').pop() ?? '').replace(/^_+/, '')
    const name = this.names.take(last ? `${this.prefix}${identifier(last)}` : this.prefix)
    this.refNames.set(ref, name)
    this.declarations.push(`type ${name} = ${this.convert(target)}`)
    return name
  }
}

function inferType(s: Schema): string[] {
  if (isSchema(s.properties) || s.additionalProperties !== undefined) return ['object']
  if (s.items !== undefined || Array.isArray(s.prefixItems)) return ['array']
  return []
}

/** Follows a local JSON pointer (`#`, `#/$defs/Node`); anything else is not followed. */
function resolvePointer(root: unknown, ref: string): unknown {
  if (ref === '#') return root
  if (!ref.startsWith('#/')) return undefined
  let at: unknown = root
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~')
    if (!isSchema(at) && !Array.isArray(at)) return undefined
    at = (at as Record<string, unknown>)[key]
  }
  return at
}

/**
 * Converts one schema. `prefix` names the aliases its `$ref`s need (`CreateOrderBody` gives
 * `CreateOrderBodyNode`); `names` keeps them unique across the file.
 */
export function schemaToTs(schema: unknown, prefix = 'Schema', names: TypeNames = new TypeNames()): ConvertResult {
  return new Converter(schema, identifier(prefix), names).run()
}
