import { useEffect, useState } from 'react'
import { StatusBadge } from '../../components/badges'
import { Empty, ErrorNote, Section } from '../../components/layout'
import { enc, get } from '../../lib/api'
import { clock, ms } from '../../lib/format'
import type { Trace } from '../../lib/types'
import { usePoll } from '../../lib/use-poll'
import { href } from '../../lib/use-route'
import { Deliveries } from './deliveries'
import { Timeline } from './timeline'

/** One trace, re-read every second while it runs (every 5 s after, in case it is redriven). */
export function TraceDetail({ traceId }: { traceId: string }) {
  const [running, setRunning] = useState(true)
  const { data: trace, error } = usePoll((signal) => get<Trace>(`/traces/${enc(traceId)}`, signal), running ? 1000 : 5000, [traceId])
  useEffect(() => setRunning(!trace || trace.status === 'running'), [trace])
  if (!trace) return error ? <Empty title="Trace not found">{error.message}</Empty> : <div className="loading">Loading…</div>
  const failedRuns = trace.runs.filter((r) => r.status === 'failed' || r.status === 'dead').length
  const end = trace.status === 'running' ? Date.now() : Math.max(trace.updatedAt, ...trace.runs.map((r) => r.endedAt))
  return (
    <div className="trace-detail" data-testid="trace-detail" data-status={trace.status}>
      <div className="trace-head">
        <div>
          <div className="eyebrow">Trace</div>
          <h2 className="mono">{trace.traceId}</h2>
        </div>
        <div className="actions">
          <a className="btn ghost small" href={href('logs', [], { trace: trace.traceId })}>
            Logs of this trace
          </a>
          <StatusBadge status={trace.status} />
        </div>
      </div>
      <ErrorNote error={error} />
      <div className="stats">
        <Stat label="entry" value={trace.entry.step} />
        <Stat label="flows" value={trace.flows.join(', ') || '—'} />
        <Stat label="started" value={clock(trace.createdAt)} />
        <Stat label="duration" value={ms(end - trace.createdAt)} />
        <Stat label="runs" value={String(trace.runs.length)} />
        <Stat label="failed runs" value={String(failedRuns)} tone={failedRuns ? 'bad' : undefined} />
      </div>
      <Section title="Timeline">
        <Timeline trace={trace} end={end} />
      </Section>
      {trace.deliveries.length > 0 && (
        <Section title={`Deliveries (${trace.deliveries.length})`}>
          <Deliveries deliveries={trace.deliveries} />
        </Section>
      )}
    </div>
  )
}

function Stat({ label, value, tone }: { label: string; value: string; tone?: string }) {
  return (
    <div className={`stat ${tone ?? ''}`}>
      <span>{label}</span>
      <b>{value}</b>
    </div>
  )
}
