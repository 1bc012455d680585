import { LevelBadge } from '../../components/badges'
import { JsonTree } from '../../components/json-tree'
import { clock, ms } from '../../lib/format'
import type { Run, SerializedError } from '../../lib/types'
import { useMappedStack } from '../../lib/use-mapped-stack'

/** Everything one run recorded: trigger, error with stack, emits, state and stream operations, logs. */
export function RunDetails({ run, traceStart }: { run: Run; traceStart: number }) {
  const rel = (t: number) => `+${ms(t - traceStart)}`
  return (
    <div className="run-details" data-testid="run-details">
      <div className="kv">
        <span>trigger</span>
        <code>{describeTrigger(run.trigger)}</code>
        <span>started</span>
        <span>
          {clock(run.startedAt)} <span className="muted">({rel(run.startedAt)})</span>
        </span>
        <span>attempt</span>
        <span>{run.attempt}</span>
        {run.deliveryId && (
          <>
            <span>delivery</span>
            <code>{run.deliveryId}</code>
          </>
        )}
        {run.reason && (
          <>
            <span>reason</span>
            <span>{run.reason}</span>
          </>
        )}
      </div>
      {run.error && <ErrorBox error={run.error} />}
      {run.emits.length > 0 && (
        <Block title={`Emits (${run.emits.length})`}>
          {run.emits.map((e, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a run's records never change order
            <div key={i} className="emit">
              <code className="topic">{e.topic}</code>
              <JsonTree value={e.data} open={1} />
            </div>
          ))}
        </Block>
      )}
      {(run.stateOps.length > 0 || (run.streamOps?.length ?? 0) > 0) && (
        <Block title="State and stream operations">
          <table className="table compact">
            <tbody>
              {run.stateOps.map((op, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a run's records never change order
                <tr key={`s${i}`}>
                  <td className="muted mono">{rel(op.at)}</td>
                  <td>
                    <span className="tag">state</span> <b>{op.op}</b>
                  </td>
                  <td className="mono">{[op.group, op.key].filter(Boolean).join(' / ')}</td>
                </tr>
              ))}
              {run.streamOps?.map((op, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a run's records never change order
                <tr key={`t${i}`}>
                  <td className="muted mono">{rel(op.at)}</td>
                  <td>
                    <span className="tag blue">stream</span> <b>{op.op}</b>
                  </td>
                  <td className="mono">{[op.stream, op.groupId, op.id].filter(Boolean).join(' / ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Block>
      )}
      {run.logs.length > 0 && (
        <Block title={`Logs (${run.logs.length}${run.droppedLogs ? `, ${run.droppedLogs} dropped` : ''})`}>
          {run.logs.map((l, i) => {
            const { level, time, msg, traceId: _t, step: _s, flows: _f, ...meta } = l
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: a run's records never change order
              <div key={i} className="log-line">
                <span className="muted mono">{clock(time)}</span>
                <LevelBadge level={level} />
                <span className="log-msg">{msg}</span>
                {Object.keys(meta).length > 0 && <code className="log-meta">{JSON.stringify(meta)}</code>}
              </div>
            )
          })}
        </Block>
      )}
    </div>
  )
}

export function ErrorBox({ error }: { error: SerializedError }) {
  const stack = useMappedStack(error.stack)
  return (
    <div className="error-box" data-testid="run-error">
      <div className="error-title">
        {error.name}: {error.message}
        {error.code && <span className="tag">{error.code}</span>}
      </div>
      {error.issues && error.issues.length > 0 && (
        <ul className="issues">
          {error.issues.map((i, n) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: issues never change order
            <li key={n}>
              <code>{i.path || '(root)'}</code> {i.message}
            </li>
          ))}
        </ul>
      )}
      {stack && (
        <pre className="stack" data-testid="run-error-stack">
          {stack}
        </pre>
      )}
    </div>
  )
}

function Block({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="block">
      <div className="label">{title}</div>
      {children}
    </div>
  )
}

function describeTrigger(t: Run['trigger']): string {
  if (t.type === 'http') return `${t.method} ${t.path}`
  if (t.type === 'queue') return `queue ${t.topic}`
  if (t.type === 'cron') return `cron ${t.expression}`
  return t.type
}
