import { useState } from 'react'
import type { JsonSchema } from '../lib/types'
import { JsonTree } from './json-tree'

function describe(s: JsonSchema): string {
  if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(' | ')
  const alt = s.anyOf ?? s.oneOf
  if (alt) return alt.map(describe).join(' | ')
  const type = Array.isArray(s.type) ? s.type.join(' | ') : (s.type ?? 'any')
  if (type === 'array' && s.items) return `${describe(s.items)}[]`
  const limits = [
    typeof s.minimum === 'number' && `≥ ${s.minimum}`,
    typeof s.exclusiveMinimum === 'number' && `> ${s.exclusiveMinimum}`,
    typeof s.minLength === 'number' && `min length ${s.minLength}`,
    s.format && String(s.format),
  ].filter(Boolean)
  return limits.length ? `${type} (${limits.join(', ')})` : type
}

/** An object schema as a table of its fields (name, type, required); the raw JSON Schema on demand. */
export function SchemaFields({ schema }: { schema: JsonSchema }) {
  const [raw, setRaw] = useState(false)
  const props = schema.properties
  const required = new Set(schema.required ?? [])
  return (
    <div className="schema-fields">
      {props && !raw ? (
        <table className="table compact">
          <tbody>
            {Object.entries(props).map(([name, p]) => (
              <tr key={name}>
                <td className="mono">
                  {name}
                  {required.has(name) && <b className="req"> *</b>}
                </td>
                <td className="mono muted">{describe(p)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <JsonTree value={schema} open={3} />
      )}
      {props && (
        <button type="button" className="btn ghost small" onClick={() => setRaw(!raw)}>
          {raw ? 'Fields' : 'JSON Schema'}
        </button>
      )}
    </div>
  )
}
