import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { toJsonSchema } from '../json-schema'
import { identifier, propertyKey, schemaToTs, TypeNames } from './json-schema-to-ts'

const ts = (schema: unknown) => schemaToTs(schema).type

describe('schemaToTs', () => {
  it('converts scalars, type lists and unknown schemas', () => {
    expect(ts({ type: 'string' })).toBe('string')
    expect(ts({ type: 'integer' })).toBe('number')
    expect(ts({ type: 'boolean' })).toBe('boolean')
    expect(ts({ type: ['string', 'null'] })).toBe('string | null')
    expect(ts({})).toBe('unknown')
    expect(ts(true)).toBe('unknown')
    expect(ts(false)).toBe('never')
    expect(ts(undefined)).toBe('unknown')
    expect(ts({ type: 'weird' })).toBe('unknown')
    expect(ts({ description: 'zod 3 schema' })).toBe('unknown')
  })

  it('converts objects with required and optional properties', () => {
    expect(ts({ type: 'object', properties: { id: { type: 'string' }, n: { type: 'number' } }, required: ['id'] })).toBe('{ id: string; n?: number }')
    expect(ts({ properties: { 'content-type': { type: 'string' } }, required: ['content-type'] })).toBe('{ "content-type": string }')
    expect(ts({ type: 'object' })).toBe('Record<string, unknown>')
    expect(ts({ type: 'object', additionalProperties: false })).toBe('Record<string, never>')
  })

  it('converts additionalProperties to index signatures', () => {
    expect(ts({ type: 'object', additionalProperties: { type: 'number' } })).toBe('Record<string, number>')
    expect(ts({ type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: true })).toBe(
      '{ a: string; [key: string]: unknown }',
    )
    expect(ts({ type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: { type: 'number' } })).toBe(
      '{ a: string; [key: string]: unknown }',
    )
    expect(ts({ type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false })).toBe('{ a: string }')
  })

  it('converts arrays and tuples', () => {
    expect(ts({ type: 'array', items: { type: 'string' } })).toBe('string[]')
    expect(ts({ type: 'array' })).toBe('unknown[]')
    expect(ts({ type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'number' }] } })).toBe('Array<string | number>')
    expect(ts({ type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }], items: false })).toBe('[string, number]')
    expect(ts({ type: 'array', prefixItems: [{ type: 'string' }], items: { type: 'boolean' } })).toBe('[string, ...boolean[]]')
    expect(ts({ type: 'array', items: [{ type: 'string' }, { type: 'number' }], minItems: 1, additionalItems: false })).toBe('[string, number?]')
  })

  it('converts enum, const, unions, intersections and nullable', () => {
    expect(ts({ enum: ['low', 'high', 3, null] })).toBe('"low" | "high" | 3 | null')
    expect(ts({ const: 'a' })).toBe('"a"')
    expect(ts({ type: 'string', const: 'a' })).toBe('"a"')
    expect(ts({ anyOf: [{ type: 'string' }, { type: 'null' }] })).toBe('string | null')
    expect(ts({ oneOf: [{ const: 1 }, { const: 2 }] })).toBe('1 | 2')
    expect(ts({ anyOf: [{ type: 'string' }, {}] })).toBe('unknown')
    expect(ts({ allOf: [{ properties: { a: { type: 'string' } }, required: ['a'] }, { properties: { b: { type: 'number' } } }] })).toBe(
      '{ a: string } & { b?: number }',
    )
    expect(ts({ type: 'string', nullable: true })).toBe('string | null')
    // alternatives that only add `required` constrain nothing a type can say
    expect(ts({ type: 'object', properties: { k: { type: 'string' } }, required: ['k'], oneOf: [{ required: ['a'] }, { required: ['b'] }] })).toBe(
      '{ k: string }',
    )
    expect(
      ts({ type: 'object', properties: { k: { type: 'string' } }, required: ['k'], anyOf: [{ type: 'object', properties: { a: { type: 'number' } } }] }),
    ).toBe('{ k: string } & { a?: number }')
  })

  it('turns $ref to $defs and definitions into named aliases, recursion included', () => {
    const names = new TypeNames()
    const r = schemaToTs(
      {
        type: 'object',
        properties: { root: { $ref: '#/$defs/__schema0' }, other: { $ref: '#/definitions/Leaf' } },
        required: ['root'],
        $defs: { __schema0: { type: 'object', properties: { children: { type: 'array', items: { $ref: '#/$defs/__schema0' } } }, required: ['children'] } },
        definitions: { Leaf: { type: 'string' } },
      },
      'TreeBody',
      names,
    )
    expect(r.type).toBe('{ root: TreeBodySchema0; other?: TreeBodyLeaf }')
    expect(r.declarations).toEqual(['type TreeBodySchema0 = { children: TreeBodySchema0[] }', 'type TreeBodyLeaf = string'])
    // the same prefix again gets fresh names
    expect(schemaToTs({ $ref: '#/$defs/x', $defs: { x: { type: 'number' } } }, 'TreeBody', names).declarations).toEqual(['type TreeBodyX = number'])
  })

  it('names a root that refers to itself', () => {
    const r = schemaToTs({ type: 'object', properties: { kids: { type: 'array', items: { $ref: '#' } } }, required: ['kids'] }, 'Cat')
    expect(r.type).toBe('Cat')
    expect(r.declarations).toEqual(['type Cat = { kids: Cat[] }'])
  })

  it('leaves unresolvable references as unknown', () => {
    expect(ts({ $ref: 'https://example.com/schema.json' })).toBe('unknown')
    expect(ts({ $ref: '#/$defs/missing' })).toBe('unknown')
  })

  it('converts what zod 4 produces (input side: defaults make fields optional)', () => {
    const schema = z.object({
      title: z.string().min(1),
      priority: z.enum(['low', 'high']).default('low'),
      n: z.number().nullable(),
      pair: z.tuple([z.string(), z.number()]),
      u: z.union([z.literal('a'), z.object({ x: z.boolean() })]),
      scores: z.record(z.string(), z.number()),
      at: z.date().optional(),
    })
    expect(ts(toJsonSchema(schema))).toBe(
      '{ title: string; priority?: "low" | "high"; n: number | null; pair: [string, number]; u: "a" | { x: boolean }; scores: Record<string, number>; at?: unknown }',
    )
    const Cat: z.ZodType = z.object({
      name: z.string(),
      get kids() {
        return z.array(Cat)
      },
    })
    const r = schemaToTs(toJsonSchema(z.object({ cat: Cat })), 'Pets')
    expect(r.type).toBe('{ cat: PetsSchema0 }')
    expect(r.declarations).toEqual(['type PetsSchema0 = { name: string; kids: PetsSchema0[] }'])
  })
})

describe('identifier and propertyKey', () => {
  it('makes identifiers and quotes keys only when needed', () => {
    expect(identifier('order.created')).toBe('OrderCreated')
    expect(identifier('2fa-check')).toBe('_2faCheck')
    expect(identifier('')).toBe('T')
    expect(propertyKey('id')).toBe('id')
    expect(propertyKey('x-trace')).toBe('"x-trace"')
  })
})
