import { useMemo, useRef, useState } from 'react'
import { LevelBadge } from '../../components/badges'
import { ErrorNote, ViewHeader } from '../../components/layout'
import { get, query } from '../../lib/api'
import { clock } from '../../lib/format'
import { useManifest } from '../../lib/manifest-context'
import type { LogEntry } from '../../lib/types'
import { usePoll } from '../../lib/use-poll'
import { href } from '../../lib/use-route'

const LEVELS = ['debug', 'info', 'warn', 'error']
const KEEP = 2000
const SHOWN = 300

/**
 * The log records of the recent traces, newest first, re-read every 3 s while the view is open:
 * only traces still running or finished since the last read come back (the server's cursor).
 */
export function LogsView({ params }: { params: URLSearchParams }) {
  const { steps } = useManifest()
  const trace = params.get('trace') ?? ''
  const [level, setLevel] = useState('debug')
  const [step, setStep] = useState('')
  const [text, setText] = useState('')
  const [paused, setPaused] = useState(false)
  const seen = useRef(new Map<string, LogEntry>())
  const cursor = useRef(0)
  const [version, setVersion] = useState(0)

  const { error } = usePoll(
    async (signal) => {
      if (paused) return
      const r = await get<{ logs: LogEntry[]; cursor: number }>(
        `/logs${query({ traces: 50, after: trace ? undefined : cursor.current, traceId: trace })}`,
        signal,
      )
      cursor.current = r.cursor
      for (const l of r.logs) seen.current.set(`${l.traceId}:${l.runId}:${l.seq}`, l)
      if (seen.current.size > KEEP) {
        const sorted = [...seen.current.entries()].sort((a, b) => b[1].time - a[1].time).slice(0, KEEP)
        seen.current = new Map(sorted)
      }
      setVersion((v) => v + 1)
    },
    3000,
    [trace, paused],
  )

  // biome-ignore lint/correctness/useExhaustiveDependencies: version marks new records in the ref
  const rows = useMemo(() => {
    const min = LEVELS.indexOf(level)
    const needle = text.toLowerCase()
    return [...seen.current.values()]
      .filter((l) => (!trace || l.traceId === trace) && (!step || l.step === step) && LEVELS.indexOf(l.level) >= min)
      .filter((l) => !needle || `${l.msg} ${JSON.stringify(l.meta)}`.toLowerCase().includes(needle))
      .sort((a, b) => b.time - a.time)
  }, [version, level, step, text, trace])

  const setTrace = (t: string) => {
    location.hash = href('logs', [], { trace: t || undefined })
    seen.current = new Map()
    cursor.current = 0
  }

  return (
    <div className="view">
      <ViewHeader
        title="Logs"
        subtitle={`${rows.length} records from the most recent traces${rows.length > SHOWN ? ` (the newest ${SHOWN} shown)` : ''}${paused ? ' · paused' : ' · live'}`}
      >
        <button type="button" className="btn" onClick={() => setPaused(!paused)}>
          {paused ? 'Resume' : 'Pause'}
        </button>
      </ViewHeader>
      <div className="filters inline">
        <select value={level} onChange={(e) => setLevel(e.target.value)} aria-label="level" name="level">
          {LEVELS.map((l) => (
            <option key={l} value={l}>
              {l} and above
            </option>
          ))}
        </select>
        <select value={step} onChange={(e) => setStep(e.target.value)} aria-label="step" name="step">
          <option value="">any step</option>
          {steps.map((s) => (
            <option key={s.name}>{s.name}</option>
          ))}
        </select>
        <input placeholder="trace id" defaultValue={trace} onKeyDown={(e) => e.key === 'Enter' && setTrace(e.currentTarget.value.trim())} name="trace" />
        <input placeholder="search text" value={text} onChange={(e) => setText(e.target.value)} name="text" className="grow" />
        {trace && (
          <button type="button" className="btn ghost small" onClick={() => setTrace('')}>
            clear trace
          </button>
        )}
      </div>
      <ErrorNote error={error} />
      <div className="log-table" data-testid="log-table">
        {rows.length === 0 && <div className="muted pad">No log records yet.</div>}
        {rows.slice(0, SHOWN).map((l) => (
          <div className={`log-row lvl-${l.level}`} key={`${l.traceId}:${l.runId}:${l.seq}`}>
            <span className="mono muted">{clock(l.time)}</span>
            <LevelBadge level={l.level} />
            <span className="log-step">{l.step}</span>
            <span className="log-msg">{l.msg}</span>
            <code className="log-meta">{Object.keys(l.meta).length ? JSON.stringify(l.meta) : ''}</code>
            <a className="mono trace-link" href={href('traces', [l.traceId])}>
              {l.traceId}
            </a>
          </div>
        ))}
      </div>
    </div>
  )
}
