import { useState } from 'react'

/** A collapsible JSON tree: objects and arrays fold, values are coloured by type. */
export function JsonTree({ value, name, depth = 0, open = 2 }: { value: unknown; name?: string; depth?: number; open?: number }) {
  const [expanded, setExpanded] = useState(depth < open)
  const isObj = value !== null && typeof value === 'object'
  const label = name !== undefined ? <span className="jt-key">{name}: </span> : null
  if (!isObj) {
    return (
      <div className="jt-row" style={{ paddingLeft: depth * 14 }}>
        {label}
        <Scalar value={value} />
      </div>
    )
  }
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value as Record<string, unknown>)
  const [openBr, closeBr] = Array.isArray(value) ? ['[', ']'] : ['{', '}']
  return (
    <div className="jt">
      <button type="button" className="jt-row jt-toggle" style={{ paddingLeft: depth * 14 }} onClick={() => setExpanded(!expanded)}>
        <span className="jt-caret">{expanded ? '▾' : '▸'}</span>
        {label}
        <span className="jt-punct">{openBr}</span>
        {!expanded && (
          <span className="jt-summary">
            {entries.length} {Array.isArray(value) ? 'items' : 'keys'}
            <span className="jt-punct">{closeBr}</span>
          </span>
        )}
      </button>
      {expanded && (
        <>
          {entries.map(([k, v]) => (
            <JsonTree key={k} name={k} value={v} depth={depth + 1} open={open} />
          ))}
          <div className="jt-row jt-punct" style={{ paddingLeft: depth * 14 + 12 }}>
            {closeBr}
          </div>
        </>
      )}
    </div>
  )
}

function Scalar({ value }: { value: unknown }) {
  if (value === null) return <span className="jt-null">null</span>
  if (value === undefined) return <span className="jt-null">undefined</span>
  if (typeof value === 'string') return <span className="jt-str">"{value}"</span>
  if (typeof value === 'number') return <span className="jt-num">{value}</span>
  if (typeof value === 'boolean') return <span className="jt-bool">{String(value)}</span>
  return <span>{String(value)}</span>
}
