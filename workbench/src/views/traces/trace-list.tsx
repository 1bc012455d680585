import { useEffect } from 'react'
import { StatusBadge } from '../../components/badges'
import { ErrorNote } from '../../components/layout'
import { get, query } from '../../lib/api'
import { ago, ms } from '../../lib/format'
import { KIND_COLORS, stepKind } from '../../lib/kinds'
import { useManifest } from '../../lib/manifest-context'
import type { TraceSummary } from '../../lib/types'
import { usePoll } from '../../lib/use-poll'
import { href } from '../../lib/use-route'

const SINCE: Record<string, number> = { '5m': 5 * 60_000, '1h': 3_600_000, '24h': 86_400_000 }

/** The trace list, polled every 3 s while it is on screen; filters live in the URL's query. */
export function TraceList({ selected, params }: { selected?: string; params: URLSearchParams }) {
  const { steps } = useManifest()
  const f = { status: params.get('status') ?? '', flow: params.get('flow') ?? '', step: params.get('step') ?? '', since: params.get('since') ?? '' }
  const { data, error } = usePoll(
    (signal) =>
      get<{ traces: TraceSummary[] }>(
        `/traces${query({ limit: 50, status: f.status, flow: f.flow, step: f.step, since: f.since && SINCE[f.since] ? Date.now() - (SINCE[f.since] ?? 0) : undefined })}`,
        signal,
      ),
    3000,
    [f.status, f.flow, f.step, f.since],
  )
  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(params)
    if (value) next.set(key, value)
    else next.delete(key)
    location.hash = `#/traces${selected ? `/${encodeURIComponent(selected)}` : ''}${next.size ? `?${next}` : ''}`
  }
  // Follow: keep the newest trace open as new ones arrive (a live tail of the backend).
  const follow = params.get('follow') === '1'
  const newest = data?.traces[0]?.traceId
  useEffect(() => {
    if (follow && newest && newest !== selected) location.replace(`#/traces/${encodeURIComponent(newest)}?${params}`)
  }, [follow, newest, selected, params])
  const flows = [...new Set(steps.flatMap((s) => s.flows))].sort()
  const kindOf = (name: string) => {
    const s = steps.find((x) => x.name === name)
    return s ? stepKind(s) : 'noop'
  }
  const keep = params.toString()
  return (
    <>
      <div className="filters">
        <select value={f.status} onChange={(e) => setFilter('status', e.target.value)} aria-label="status" name="status">
          <option value="">any status</option>
          <option value="running">running</option>
          <option value="completed">completed</option>
          <option value="failed">failed</option>
        </select>
        <select value={f.flow} onChange={(e) => setFilter('flow', e.target.value)} aria-label="flow" name="flow">
          <option value="">any flow</option>
          {flows.map((x) => (
            <option key={x}>{x}</option>
          ))}
        </select>
        <select value={f.step} onChange={(e) => setFilter('step', e.target.value)} aria-label="entry step" name="step">
          <option value="">any entry step</option>
          {steps.map((s) => (
            <option key={s.name}>{s.name}</option>
          ))}
        </select>
        <select value={f.since} onChange={(e) => setFilter('since', e.target.value)} aria-label="since" name="since">
          <option value="">any time</option>
          <option value="5m">last 5 min</option>
          <option value="1h">last hour</option>
          <option value="24h">last 24 h</option>
        </select>
        <label className="toggle" title="Open each new trace as it arrives">
          <input type="checkbox" checked={follow} onChange={(e) => setFilter('follow', e.target.checked ? '1' : '')} name="follow" />
          Follow newest
        </label>
      </div>
      <ErrorNote error={error} />
      <ul className="list traces" data-testid="trace-list">
        {data?.traces.length === 0 && <li className="muted pad">No traces yet. Send a request from Endpoints.</li>}
        {data?.traces.map((t) => (
          <li key={t.traceId}>
            <a
              href={`#/traces/${encodeURIComponent(t.traceId)}${keep ? `?${keep}` : ''}`}
              className={`list-item trace-item ${t.traceId === selected ? 'active' : ''}`}
              data-trace={t.traceId}
            >
              <span className="kind-dot" style={{ background: KIND_COLORS[kindOf(t.entryStep)] }} />
              <span className="list-main">
                <span className="trace-entry">{t.entryStep}</span>
                <small className="mono">{t.traceId}</small>
              </span>
              <span className="list-side">
                <StatusBadge status={t.status} />
                <small>
                  {ago(t.createdAt)} · {ms(t.updatedAt - t.createdAt)}
                </small>
              </span>
            </a>
          </li>
        ))}
      </ul>
      <a className="muted small-link" href={href('logs')}>
        Logs of these traces →
      </a>
    </>
  )
}
