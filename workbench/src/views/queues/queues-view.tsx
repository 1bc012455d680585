import { useState } from 'react'
import { ErrorNote, Section, ViewHeader } from '../../components/layout'
import { get, send } from '../../lib/api'
import type { DeadLetter, QueueRow } from '../../lib/types'
import { usePoll } from '../../lib/use-poll'
import { DeadLetterCard } from './dead-letter-card'

/** Per-step delivery counts and the dead letters, with redrive and discard. */
export function QueuesView() {
  const queues = usePoll((signal) => get<{ steps: QueueRow[]; activeTraces: number; unanswered?: number }>('/queues', signal), 5000, [])
  const dlq = usePoll((signal) => get<{ deadLetters: DeadLetter[] }>('/dlq?limit=200', signal), 2000, [])
  const [note, setNote] = useState<string>()
  const act = async (what: Promise<Record<string, number>>, verb: string) => {
    try {
      const r = await what
      setNote(`${verb}: ${Object.values(r)[0] ?? 0}`)
    } catch (err) {
      setNote((err as Error).message)
    }
    dlq.reload()
    queues.reload()
  }
  const letters = dlq.data?.deadLetters ?? []
  return (
    <div className="view scroll">
      <ViewHeader
        title="Queues"
        subtitle={
          queues.data
            ? `${queues.data.activeTraces} traces with unfinished work${
                queues.data.unanswered ? ` (${queues.data.unanswered} trace shard(s) did not answer: counts are partial)` : ''
              }`
            : ''
        }
      />
      <ErrorNote error={queues.error ?? dlq.error} />
      <Section title="Event steps">
        <table className="table" data-testid="queue-table">
          <thead>
            <tr>
              <th>step</th>
              <th>topics</th>
              <th>queue</th>
              <th className="num">pending</th>
              <th className="num">in flight</th>
              <th className="num">retrying</th>
              <th className="num">completed</th>
              <th className="num">dead</th>
            </tr>
          </thead>
          <tbody>
            {queues.data?.steps.map((q) => (
              <tr key={q.step} data-queue={q.step}>
                <td>{q.step}</td>
                <td className="mono">{q.topics.join(', ')}</td>
                <td>{q.type}</td>
                <td className="num">{q.pending}</td>
                <td className="num">{q.inFlight}</td>
                <td className={`num ${q.retrying ? 'warn-text' : ''}`}>{q.retrying}</td>
                <td className="num ok-text">{q.completed}</td>
                <td className={`num ${q.dead ? 'bad-text' : ''}`}>{q.dead}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <Section
        title={`Dead letters (${letters.length})`}
        right={
          <span className="actions">
            {note && <span className="muted small">{note}</span>}
            <button
              type="button"
              className="btn"
              disabled={!letters.length}
              onClick={() => act(send('POST', '/dlq/redrive'), 'redriven')}
              data-testid="redrive-all"
            >
              Redrive all
            </button>
          </span>
        }
      >
        {letters.length === 0 && (
          <p className="muted">No dead letters. A delivery lands here when its retries run out or its data fails the step's input schema.</p>
        )}
        <div className="cards" data-testid="dead-letters">
          {letters.map((dl) => (
            <DeadLetterCard
              key={dl.id}
              dl={dl}
              onRedrive={() => act(send('POST', `/dlq/${encodeURIComponent(dl.id)}/redrive`), 'redriven')}
              onDiscard={() => confirm('Discard this dead letter?') && act(send('DELETE', `/dlq/${encodeURIComponent(dl.id)}`), 'discarded')}
            />
          ))}
        </div>
      </Section>
    </div>
  )
}
