import { useEffect, useState } from 'react'
import { JsonTree } from '../../components/json-tree'
import { clock } from '../../lib/format'
import { acquireStream, releaseStream } from '../../lib/stream-connection'
import { href } from '../../lib/use-route'

export interface StreamRef {
  streamName: string
  groupId: string
  id: string
}

/** A response body that is a stream item carries Motia's `__motia` marker. */
export function streamRefOf(body: unknown): StreamRef | undefined {
  const m = (body as { __motia?: { type?: string; streamName?: string; groupId?: string; id?: string } } | null)?.__motia
  return m?.type === 'state-stream' && m.streamName && m.groupId && m.id ? { streamName: m.streamName, groupId: m.groupId, id: m.id } : undefined
}

/** Follows the returned stream item over the stream WebSocket while the response is shown. */
export function StreamFollow({ ref_: r }: { ref_: StreamRef }) {
  const [item, setItem] = useState<Record<string, unknown> | null>(null)
  const [updates, setUpdates] = useState(0)
  const [at, setAt] = useState<number>()
  useEffect(() => {
    const stream = acquireStream()
    const sub = stream.subscribeItem(r.streamName, r.groupId, r.id)
    sub.addChangeListener((state) => {
      setItem(state as Record<string, unknown> | null)
      setUpdates((n) => n + 1)
      setAt(Date.now())
    })
    return () => {
      sub.close()
      releaseStream()
    }
  }, [r.streamName, r.groupId, r.id])
  return (
    <div className="stream-follow" data-testid="stream-follow">
      <div className="stream-follow-head">
        <span className="live-dot" /> Following stream item <code>{r.streamName}</code> / <code>{r.groupId}</code> / <code>{r.id}</code>
        <span className="muted">
          {updates} update{updates === 1 ? '' : 's'}
          {at ? ` · last ${clock(at)}` : ''}
        </span>
        <a href={href('streams', [r.streamName, r.groupId])}>open in Streams →</a>
      </div>
      <div className="stream-follow-body" data-testid="stream-item">
        {item ? <JsonTree value={item} open={2} /> : <span className="muted">waiting for the item…</span>}
      </div>
    </div>
  )
}
