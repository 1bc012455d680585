export interface Row {
  /** Stable identity for React while rows are added and removed. */
  id: number
  key: string
  value: string
  on: boolean
}

let ids = 0
export function newRow(key = '', value = '', on = true): Row {
  return { id: ++ids, key, value, on }
}

/** Editable key/value rows (query parameters, headers), each with an on/off switch. */
export function KvRows({ rows, onChange, keyHint, prefix }: { rows: Row[]; onChange: (r: Row[]) => void; keyHint: string; prefix: string }) {
  const set = (i: number, patch: Partial<Row>) => onChange(rows.map((r, j) => (i === j ? { ...r, ...patch } : r)))
  return (
    <div className="kv-rows">
      {rows.map((r, i) => (
        <div className="kv-row" key={r.id}>
          <input type="checkbox" checked={r.on} onChange={(e) => set(i, { on: e.target.checked })} aria-label="include" />
          <input name={`${prefix}.key.${i}`} placeholder={keyHint} value={r.key} onChange={(e) => set(i, { key: e.target.value })} />
          <input name={`${prefix}.value.${i}`} placeholder="value" value={r.value} onChange={(e) => set(i, { value: e.target.value })} />
          <button type="button" className="icon-btn" onClick={() => onChange(rows.filter((_, j) => j !== i))} aria-label="Remove">
            ×
          </button>
        </div>
      ))}
      <button type="button" className="btn ghost small" onClick={() => onChange([...rows, newRow()])}>
        + Add
      </button>
    </div>
  )
}
