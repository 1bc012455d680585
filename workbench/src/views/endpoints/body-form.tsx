import type { JsonSchema } from '../../lib/types'
import { fieldKind } from './schema-example'

/**
 * The request body as a form built from the step's `bodySchema` (one input per top-level property:
 * text, number, checkbox, select for enums, JSON for the rest). The JSON text stays the source of
 * truth: each edit parses it, changes one field and writes it back.
 */
export function BodyForm({ schema, text, onText }: { schema: JsonSchema; text: string; onText: (t: string) => void }) {
  let value: Record<string, unknown>
  try {
    const parsed = text.trim() ? JSON.parse(text) : {}
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object')
    value = parsed
  } catch {
    return <p className="muted">The body is not a JSON object: edit it in the JSON tab.</p>
  }
  const set = (key: string, v: unknown) => {
    const next = { ...value }
    if (v === undefined) delete next[key]
    else next[key] = v
    onText(JSON.stringify(next, null, 2))
  }
  const required = new Set(schema.required ?? [])
  return (
    <div className="form-grid">
      {Object.entries(schema.properties ?? {}).map(([key, prop]) => (
        <div key={key} className="field">
          <label className="field-name" htmlFor={`body.${key}`}>
            {key}
            {required.has(key) ? <b className="req">*</b> : <span className="opt">optional</span>}
            <span className="field-type">{Array.isArray(prop.type) ? prop.type.join(' | ') : (prop.type ?? 'any')}</span>
          </label>
          <FieldInput name={`body.${key}`} schema={prop} value={value[key]} onChange={(v) => set(key, v)} />
          {prop.description && <span className="field-help">{prop.description}</span>}
        </div>
      ))}
    </div>
  )
}

function FieldInput({ name, schema, value, onChange }: { name: string; schema: JsonSchema; value: unknown; onChange: (v: unknown) => void }) {
  const kind = fieldKind(schema)
  if (kind === 'boolean') return <input id={name} name={name} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />
  if (kind === 'enum')
    return (
      <select id={name} name={name} value={value === undefined ? '' : String(value)} onChange={(e) => onChange(e.target.value || undefined)}>
        <option value="">—</option>
        {(schema.enum as string[]).map((v) => (
          <option key={v} value={v}>
            {v}
          </option>
        ))}
      </select>
    )
  if (kind === 'number' || kind === 'integer')
    return (
      <input
        id={name}
        name={name}
        type="number"
        step={kind === 'integer' ? 1 : 'any'}
        value={typeof value === 'number' ? value : ''}
        onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
      />
    )
  if (kind === 'string')
    return <input id={name} name={name} type="text" value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)} />
  return <JsonField name={name} value={value} onChange={onChange} />
}

function JsonField({ name, value, onChange }: { name: string; value: unknown; onChange: (v: unknown) => void }) {
  return (
    <textarea
      id={name}
      name={name}
      className="code small"
      rows={2}
      defaultValue={value === undefined ? '' : JSON.stringify(value)}
      onBlur={(e) => {
        const t = e.target.value.trim()
        if (!t) return onChange(undefined)
        try {
          onChange(JSON.parse(t))
          e.target.classList.remove('invalid')
        } catch {
          e.target.classList.add('invalid')
        }
      }}
    />
  )
}
