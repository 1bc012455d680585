import { Cron } from 'croner'
import { useState } from 'react'
import { StatusBadge } from '../../components/badges'
import { ErrorNote, Section, ViewHeader } from '../../components/layout'
import { enc, get, send } from '../../lib/api'
import { ago, until } from '../../lib/format'
import { useManifest } from '../../lib/manifest-context'
import type { CronRow } from '../../lib/types'
import { usePoll } from '../../lib/use-poll'
import { href } from '../../lib/use-route'

interface RunResult {
  step: string
  traceId?: string
  status: string
  reason?: string
}

function nextRun(expression: string): number | undefined {
  try {
    return new Cron(expression, { paused: true, timezone: 'UTC' }).nextRun()?.getTime()
  } catch {
    return undefined
  }
}

/** Each cron step: expression, last run, next run (UTC, as Cron Triggers); run one now. */
export function CronView() {
  const { steps } = useManifest()
  const { data, error, reload } = usePoll((signal) => get<{ crons: CronRow[] }>('/cron', signal), 3000, [])
  const [results, setResults] = useState<Record<string, RunResult | string>>({})
  const [busy, setBusy] = useState<string>()
  const run = async (step: string) => {
    setBusy(step)
    try {
      const r = await send<RunResult>('POST', `/cron/${enc(step)}/run`)
      setResults((x) => ({ ...x, [step]: r }))
    } catch (err) {
      setResults((x) => ({ ...x, [step]: (err as Error).message }))
    } finally {
      setBusy(undefined)
      reload()
    }
  }
  return (
    <div className="view scroll">
      <ViewHeader title="Cron" subtitle="Scheduled steps. stepflare dev fires them on schedule; Run now starts one at once, in a new trace." />
      <ErrorNote error={error} />
      <Section title={`Cron steps (${data?.crons.length ?? 0})`}>
        <table className="table" data-testid="cron-table">
          <thead>
            <tr>
              <th>step</th>
              <th>expression</th>
              <th>last run</th>
              <th>next run (UTC)</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data?.crons.length === 0 && (
              <tr>
                <td colSpan={5} className="muted">
                  No cron steps.
                </td>
              </tr>
            )}
            {data?.crons.map((c) => {
              const step = steps.find((s) => s.name === c.step)
              const next = nextRun(c.expression)
              const result = results[c.step]
              return (
                <tr key={c.step} data-cron={c.step}>
                  <td>
                    <b>{c.step}</b>
                    {step?.description && <div className="muted small">{step.description}</div>}
                  </td>
                  <td className="mono">{c.expression}</td>
                  <td data-testid="last-run">
                    {c.running && <StatusBadge status="running" />}
                    {c.lastRun ? (
                      <>
                        <StatusBadge status={c.lastRun.status} />{' '}
                        <a href={href('traces', [c.lastRun.runId])} className="mono small">
                          {ago(c.lastRun.at)}
                        </a>
                      </>
                    ) : (
                      !c.running && <span className="muted">never</span>
                    )}
                  </td>
                  <td>{next ? `${until(next)} · ${new Date(next).toISOString().slice(11, 19)}` : '—'}</td>
                  <td className="right">
                    <button type="button" className="btn primary small" onClick={() => run(c.step)} disabled={busy === c.step} data-testid="run-now">
                      {busy === c.step ? 'Running…' : 'Run now'}
                    </button>
                    {result && (
                      <div className="small run-result" data-testid="run-result">
                        {typeof result === 'string' ? (
                          <span className="bad-text">{result}</span>
                        ) : (
                          <>
                            <StatusBadge status={result.status} /> {result.reason}{' '}
                            {result.traceId && (
                              <a href={href('traces', [result.traceId])} className="mono">
                                {result.traceId} →
                              </a>
                            )}
                          </>
                        )}
                      </div>
                    )}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </Section>
    </div>
  )
}
