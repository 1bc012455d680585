import { useState } from 'react'
import { Empty, ErrorNote, ViewHeader } from '../../components/layout'
import { get } from '../../lib/api'
import { ago } from '../../lib/format'
import type { StreamInfo } from '../../lib/types'
import { usePoll } from '../../lib/use-poll'
import { href, navigate } from '../../lib/use-route'
import { LiveGroup } from './live-group'

/**
 * The project's streams, the groups recent traces touched (read from those traces when the view
 * opens), and one group's items live over the stream WebSocket.
 */
export function StreamsView({ stream, group }: { stream?: string; group?: string }) {
  const { data, error } = usePoll((signal) => get<{ streams: StreamInfo[] }>('/streams', signal), 10_000, [])
  const [typed, setTyped] = useState('')
  const streams = data?.streams ?? []
  const current = stream ?? streams[0]?.name
  return (
    <div className="view split">
      <div className="list-pane">
        <ViewHeader title="Streams" subtitle={`${streams.length} stream${streams.length === 1 ? '' : 's'}`} />
        <ErrorNote error={error} />
        {data && streams.length === 0 && <p className="muted pad">No streams: add a *.stream.ts file.</p>}
        {streams.map((s) => (
          <div key={s.name} className="stream-block">
            <a href={href('streams', [s.name])} className={`stream-name ${s.name === current && !group ? 'active' : ''}`}>
              {s.name}
            </a>
            <ul className="list">
              {s.groups.length === 0 && <li className="muted small pad">no group in the recent traces</li>}
              {s.groups.map((g) => (
                <li key={g.groupId}>
                  <a
                    href={href('streams', [s.name, g.groupId])}
                    className={`list-item ${s.name === current && g.groupId === group ? 'active' : ''}`}
                    data-stream-group={`${s.name}/${g.groupId}`}
                  >
                    <span className="list-main mono">{g.groupId}</span>
                    <small className="muted">{ago(g.lastAt)}</small>
                  </a>
                </li>
              ))}
            </ul>
          </div>
        ))}
        {current && (
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault()
              if (typed.trim()) navigate('streams', [current, typed.trim()])
            }}
          >
            <input placeholder={`group id in ${current}`} value={typed} onChange={(e) => setTyped(e.target.value)} name="group" />
            <button type="submit" className="btn small">
              Open
            </button>
          </form>
        )}
      </div>
      <div className="detail-pane">
        {current && group ? (
          <LiveGroup key={`${current}/${group}`} stream={current} group={group} />
        ) : (
          <Empty title="Pick a group">Choose a group on the left, or type its id, to watch its items change live.</Empty>
        )}
      </div>
    </div>
  )
}
