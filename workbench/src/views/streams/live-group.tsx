import { clock } from '../../lib/format'
import { MAX_ROWS, useLiveGroup } from './use-live-group'

/** A group's items, kept current by the stream WebSocket; changed rows flash, and a log lists changes. */
export function LiveGroup({ stream, group }: { stream: string; group: string }) {
  const { view, changes } = useLiveGroup(stream, group)
  const rows = view?.rows ?? []
  const columns = [...new Set(rows.flatMap((i) => Object.keys(i)))].filter((k) => k !== 'id').slice(0, 8)
  const now = Date.now()
  return (
    <div className="live-group" data-testid="live-group">
      <div className="trace-head">
        <div>
          <div className="eyebrow">
            <span className="live-dot" /> live · {stream}
          </div>
          <h2 className="mono">{group}</h2>
        </div>
        <span className="muted">
          {view ? `${view.total} items${view.total > MAX_ROWS ? ` · showing ${MAX_ROWS}, the last changed first` : ''}` : 'connecting…'}
        </span>
      </div>
      <div className="stream-grid">
        <table className="table" data-testid="stream-items">
          <thead>
            <tr>
              <th>id</th>
              {columns.map((c) => (
                <th key={c}>{c}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {view?.total === 0 && (
              <tr>
                <td colSpan={columns.length + 1} className="muted">
                  The group is empty.
                </td>
              </tr>
            )}
            {rows.map((i) => (
              <tr key={i.id} data-item={i.id} className={now - (view?.touched.get(i.id) ?? 0) < 1500 ? 'flash' : ''}>
                <td className="mono">{i.id}</td>
                {columns.map((c) => (
                  <td key={c} className="mono" data-field={c}>
                    <Cell value={i[c]} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        <div className="changes">
          <div className="label">Changes</div>
          {changes.length === 0 && <div className="muted small">none yet</div>}
          {changes.map((c) => (
            <div key={c.n} className="change">
              <span className="mono muted">{clock(c.at)}</span> <span className={`tag ${c.type}`}>{c.type}</span> <span className="mono">{c.id}</span>
              {c.fields && <div className="change-fields mono">{c.fields}</div>}
            </div>
          ))}
        </div>
      </div>
    </div>
  )
}

function Cell({ value }: { value: unknown }) {
  if (value === undefined) return <span className="muted">—</span>
  if (value !== null && typeof value === 'object') return <span className="muted">{JSON.stringify(value)}</span>
  return <span className={typeof value === 'number' ? 'jt-num' : typeof value === 'string' ? 'jt-str' : 'jt-bool'}>{String(value)}</span>
}
