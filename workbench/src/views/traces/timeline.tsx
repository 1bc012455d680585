import { Fragment, useState } from 'react'
import { StatusBadge } from '../../components/badges'
import { ms } from '../../lib/format'
import { KIND_COLORS, stepKind } from '../../lib/kinds'
import { useManifest } from '../../lib/manifest-context'
import type { Run, Trace } from '../../lib/types'
import { RunDetails } from './run-details'

const BAR_COLORS: Record<string, string> = { completed: '#22c55e', failed: '#ef4444', dead: '#ef4444', skipped: '#64748b' }

/** Each run of the trace as a bar on one time axis; click a row for its emits, state, logs and error. */
export function Timeline({ trace, end }: { trace: Trace; end: number }) {
  const { steps } = useManifest()
  const start = Math.min(trace.createdAt, ...trace.runs.map((r) => r.startedAt))
  const span = Math.max(end - start, 1)
  const failed = trace.runs.find((r) => r.status === 'failed' || r.status === 'dead')
  const [open, setOpen] = useState<number | undefined>(failed?.id)
  const pct = (t: number) => `${((t - start) / span) * 100}%`
  return (
    <div className="timeline" data-testid="timeline">
      <div className="tl-row axis">
        <span />
        <span className="tl-axis">
          <span>0</span>
          <span>{ms(span / 2)}</span>
          <span>{ms(span)}</span>
        </span>
        <span />
      </div>
      {trace.runs.map((run) => {
        const step = steps.find((s) => s.name === run.step)
        const color = step ? KIND_COLORS[stepKind(step)] : '#94a3b8'
        const width = Math.max(((run.endedAt - run.startedAt) / span) * 100, 0.6)
        return (
          <Fragment key={run.id}>
            <button
              type="button"
              className={`tl-row ${open === run.id ? 'open' : ''}`}
              onClick={() => setOpen(open === run.id ? undefined : run.id)}
              data-run={run.step}
              data-run-status={run.status}
            >
              <span className="tl-label">
                <span className="kind-dot" style={{ background: color }} />
                <span className="tl-step">{run.step}</span>
                {run.attempt > 1 && <span className="tag warn">attempt {run.attempt}</span>}
              </span>
              <span className="tl-track">
                <span className="tl-bar" style={{ left: pct(run.startedAt), width: `${width}%`, background: BAR_COLORS[run.status] ?? color }} />
                <span
                  className="tl-dur"
                  style={
                    (run.startedAt - start) / span > 0.7
                      ? { right: `calc(${100 - ((run.startedAt - start) / span) * 100}% + 6px)` }
                      : { left: `calc(${pct(run.startedAt)} + ${width}% + 6px)` }
                  }
                >
                  {ms(run.endedAt - run.startedAt)}
                </span>
              </span>
              <span className="tl-meta">
                <RunCounts run={run} />
                <StatusBadge status={run.status} />
              </span>
            </button>
            {open === run.id && <RunDetails run={run} traceStart={start} />}
          </Fragment>
        )
      })}
      {trace.status === 'running' && <PendingRows trace={trace} />}
    </div>
  )
}

function RunCounts({ run }: { run: Run }) {
  const parts: string[] = []
  if (run.emits.length) parts.push(`${run.emits.length} emit${run.emits.length > 1 ? 's' : ''}`)
  if (run.stateOps.length) parts.push(`${run.stateOps.length} state`)
  if (run.streamOps?.length) parts.push(`${run.streamOps.length} stream`)
  if (run.logs.length) parts.push(`${run.logs.length} log${run.logs.length > 1 ? 's' : ''}`)
  return <span className="muted small">{parts.join(' · ')}</span>
}

/** Deliveries not run yet: queued, waiting or backing off before a retry. */
function PendingRows({ trace }: { trace: Trace }) {
  const pending = trace.deliveries.filter((d) => ['queued', 'waiting', 'running', 'retrying'].includes(d.status))
  return (
    <>
      {pending.map((d) => (
        <div className="tl-row pending" key={d.id}>
          <span className="tl-label">
            <span className="kind-dot" style={{ background: '#3b82f6' }} />
            <span className="tl-step">{d.step}</span>
          </span>
          <span className="tl-track">
            <span className="tl-pending">
              {d.status === 'retrying' ? `retry ${d.attempts + 1} due ${ms(Math.max(0, d.dueAt - Date.now()))}` : `${d.status} · ${d.topic}`}
            </span>
          </span>
          <span className="tl-meta">
            <StatusBadge status={d.status} />
          </span>
        </div>
      ))}
    </>
  )
}
