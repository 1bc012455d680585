/**
 * Strict query strings for the system routes: each route names the parameters it reads and how to
 * read them; an unknown name, a repeated one or a value out of range is a 400 that lists the
 * issues, never a NaN handed to SQL.
 * @module
 */
import type { ValidationIssue } from '../../sdk/errors'
import { jsonError } from './response'

export type ParamSpec = { kind: 'int'; min: number; max: number } | { kind: 'enum'; values: readonly string[] } | { kind: 'string'; maxLength?: number }

export type ParamValues<S extends Record<string, ParamSpec>> = {
  [K in keyof S]?: S[K] extends { kind: 'int' } ? number : S[K] extends { kind: 'enum'; values: readonly (infer V)[] } ? V : string
}

export type ParsedQuery<S extends Record<string, ParamSpec>> = { ok: true; values: ParamValues<S> } | { ok: false; response: Response }

const INTEGER = /^(0|[1-9][0-9]{0,15})$/

function readParam(name: string, raw: string, spec: ParamSpec): { value: number | string } | { issue: string } {
  switch (spec.kind) {
    case 'int': {
      const n = INTEGER.test(raw) ? Number(raw) : Number.NaN
      if (!Number.isSafeInteger(n) || n < spec.min || n > spec.max)
        return { issue: `expected an integer from ${spec.min} to ${spec.max}, found ${JSON.stringify(raw)}` }
      return { value: n }
    }
    case 'enum':
      return spec.values.includes(raw)
        ? { value: raw }
        : { issue: `expected one of ${spec.values.map((v) => JSON.stringify(v)).join(', ')}, found ${JSON.stringify(raw.slice(0, 60))}` }
    case 'string':
      return raw.length <= (spec.maxLength ?? 256) ? { value: raw } : { issue: `expected at most ${spec.maxLength ?? 256} characters, found ${raw.length}` }
  }
  return { issue: `unknown parameter ${name}` }
}

/** Reads `url`'s query against `spec`; aliases map another accepted name onto a parameter. */
export function parseQuery<S extends Record<string, ParamSpec>>(url: string, spec: S, aliases: Record<string, keyof S> = {}): ParsedQuery<S> {
  const values: Record<string, number | string> = {}
  const issues: ValidationIssue[] = []
  const q = url.indexOf('?')
  if (q >= 0) {
    for (const [given, raw] of new URLSearchParams(url.slice(q + 1))) {
      const name = (Object.hasOwn(spec, given) ? given : aliases[given]) as string | undefined
      if (name === undefined) {
        issues.push({ path: given, message: `unknown parameter; expected one of ${[...Object.keys(spec), ...Object.keys(aliases)].join(', ')}` })
        continue
      }
      if (name in values) {
        issues.push({ path: given, message: 'given more than once' })
        continue
      }
      const read = readParam(name, raw, spec[name] as ParamSpec)
      if ('issue' in read) issues.push({ path: given, message: read.issue })
      else values[name] = read.value
    }
  }
  if (issues.length > 0) return { ok: false, response: jsonError(400, { error: 'Invalid query', issues }) }
  return { ok: true, values: values as ParamValues<S> }
}
