import { useState } from 'react'
import { JsonTree } from '../../components/json-tree'
import { bytes, ms } from '../../lib/format'
import { href } from '../../lib/use-route'
import { StreamFollow, type StreamRef, streamRefOf } from './stream-follow'

export interface ApiResult {
  status: number
  statusText: string
  timeMs: number
  headers: [string, string][]
  text: string
  json?: unknown
  error?: string
}

/** Status, time, size, the trace it started, headers and body of the last response. */
export function ResponseView({ result }: { result: ApiResult }) {
  const [tab, setTab] = useState<'body' | 'headers'>('body')
  const traceId = result.headers.find(([k]) => k.toLowerCase() === 'x-trace-id')?.[1]
  const ref: StreamRef | undefined = streamRefOf(result.json)
  const cls = result.status >= 500 || result.status === 0 ? 'bad' : result.status >= 400 ? 'warn' : 'ok'
  return (
    <div className="response" data-testid="response">
      <div className="response-line">
        <span className={`badge status ${cls}`} data-testid="response-status">
          {result.status || 'network error'} {result.statusText}
        </span>
        <span className="metric">
          <b>{ms(result.timeMs)}</b> time
        </span>
        <span className="metric">
          <b>{bytes(new TextEncoder().encode(result.text).length)}</b> body
        </span>
        {traceId && (
          <a className="trace-link" href={href('traces', [traceId])} data-testid="response-trace">
            trace {traceId} →
          </a>
        )}
      </div>
      {result.error && <div className="error-note">{result.error}</div>}
      {ref && <StreamFollow ref_={ref} />}
      <div className="tabs small">
        <button type="button" className={`tab ${tab === 'body' ? 'active' : ''}`} onClick={() => setTab('body')}>
          Body
        </button>
        <button type="button" className={`tab ${tab === 'headers' ? 'active' : ''}`} onClick={() => setTab('headers')}>
          Headers ({result.headers.length})
        </button>
      </div>
      {tab === 'body' ? (
        <div className="response-body">
          {result.json !== undefined ? <JsonTree value={result.json} open={3} /> : <pre className="code">{result.text || '(empty body)'}</pre>}
        </div>
      ) : (
        <table className="table compact">
          <tbody>
            {result.headers.map(([k, v]) => (
              <tr key={k}>
                <td className="mono muted">{k}</td>
                <td className="mono">{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}
