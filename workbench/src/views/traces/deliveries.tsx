import { StatusBadge } from '../../components/badges'
import { clock } from '../../lib/format'
import type { Delivery } from '../../lib/types'

/** One row per (event, subscribing step), with every attempt and its error: the retries. */
export function Deliveries({ deliveries }: { deliveries: Delivery[] }) {
  return (
    <table className="table" data-testid="deliveries">
      <thead>
        <tr>
          <th>step</th>
          <th>topic</th>
          <th>status</th>
          <th>attempts</th>
        </tr>
      </thead>
      <tbody>
        {deliveries.map((d) => (
          <tr key={d.id} data-delivery={d.step}>
            <td>{d.step}</td>
            <td className="mono">{d.topic}</td>
            <td>
              <StatusBadge status={d.status} />
            </td>
            <td>
              {d.history.length === 0 && <span className="muted">—</span>}
              {d.history.map((a) => (
                <div key={a.attempt} className="attempt">
                  <span className="mono muted">#{a.attempt}</span> {clock(a.startedAt)}
                  {a.error ? <span className="bad-text"> {a.error.message}</span> : <span className="ok-text"> ok</span>}
                </div>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
