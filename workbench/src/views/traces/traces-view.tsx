import { ViewHeader } from '../../components/layout'
import { TraceDetail } from './trace-detail'
import { TraceList } from './trace-list'

/** Recent traces on the left (filtered through the URL), the selected one as a timeline on the right. */
export function TracesView({ traceId, params }: { traceId?: string; params: URLSearchParams }) {
  return (
    <div className="view split">
      <div className="list-pane wide">
        <ViewHeader title="Traces" subtitle="Every API request, cron tick and outside emit, with the runs it caused" />
        <TraceList selected={traceId} params={params} />
      </div>
      <div className="detail-pane">
        {traceId ? <TraceDetail key={traceId} traceId={traceId} /> : <div className="empty muted">Select a trace to see its timeline.</div>}
      </div>
    </div>
  )
}
