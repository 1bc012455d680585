import { useState } from 'react'
import { JsonTree } from '../../components/json-tree'
import { ago, clock } from '../../lib/format'
import type { DeadLetter } from '../../lib/types'
import { href } from '../../lib/use-route'
import { ErrorBox } from '../traces/run-details'

/** One dead letter: what failed, why, every attempt, the payload; redrive or discard it. */
export function DeadLetterCard({ dl, onRedrive, onDiscard }: { dl: DeadLetter; onRedrive: () => void; onDiscard: () => void }) {
  const [open, setOpen] = useState(false)
  return (
    <div className="card dead-letter" data-dead-letter={dl.id} data-step={dl.step}>
      <div className="dl-head">
        <div>
          <b>{dl.step}</b> <span className="muted">←</span> <code>{dl.topic}</code> <span className="tag bad">{dl.reason}</span>
          <div className="muted small">
            {ago(dl.createdAt)} · {dl.attempts.length} attempt{dl.attempts.length === 1 ? '' : 's'} · trace{' '}
            <a href={href('traces', [dl.traceId])} className="mono">
              {dl.traceId}
            </a>
          </div>
        </div>
        <div className="actions">
          <button type="button" className="btn ghost small" onClick={() => setOpen(!open)}>
            {open ? 'Less' : 'Details'}
          </button>
          <button type="button" className="btn danger small" onClick={onDiscard} data-testid="discard">
            Discard
          </button>
          <button type="button" className="btn primary small" onClick={onRedrive} data-testid="redrive">
            Redrive
          </button>
        </div>
      </div>
      <div className="dl-error">
        {dl.error.name}: {dl.error.message}
      </div>
      {open && (
        <div className="dl-body">
          <ErrorBox error={dl.error} />
          <div className="label">Payload</div>
          <JsonTree value={dl.data} open={2} />
          <div className="label">Attempts</div>
          {dl.attempts.map((a) => (
            <div key={a.attempt} className="attempt">
              <span className="mono muted">#{a.attempt}</span> {clock(a.startedAt)} {a.error && <span className="bad-text">{a.error.message}</span>}
            </div>
          ))}
        </div>
      )}
    </div>
  )
}
