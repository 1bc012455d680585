import { Empty } from './components/layout'
import { Sidebar } from './components/sidebar'
import { ManifestProvider } from './lib/manifest-context'
import { useRoute } from './lib/use-route'
import { CronView } from './views/cron/cron-view'
import { EndpointsView } from './views/endpoints/endpoints-view'
import { FlowsView } from './views/flows/flows-view'
import { LogsView } from './views/logs/logs-view'
import { QueuesView } from './views/queues/queues-view'
import { StateView } from './views/state/state-view'
import { StreamsView } from './views/streams/streams-view'
import { TracesView } from './views/traces/traces-view'

export function App() {
  const route = useRoute()
  return (
    <div className="app">
      <Sidebar current={route.view} />
      <main className="main">
        <ManifestProvider
          fallback={(error) => (error ? <Empty title="Cannot reach the Worker">{error.message}</Empty> : <div className="loading">Loading…</div>)}
        >
          <View view={route.view} parts={route.parts} params={route.params} />
        </ManifestProvider>
      </main>
    </div>
  )
}

function View({ view, parts, params }: { view: string; parts: string[]; params: URLSearchParams }) {
  switch (view) {
    case 'flows':
      return <FlowsView flow={parts[0]} />
    case 'endpoints':
      return <EndpointsView step={parts[0]} />
    case 'traces':
      return <TracesView traceId={parts[0]} params={params} />
    case 'logs':
      return <LogsView params={params} />
    case 'state':
      return <StateView group={parts[0]} />
    case 'streams':
      return <StreamsView stream={parts[0]} group={parts[1]} />
    case 'queues':
      return <QueuesView />
    case 'cron':
      return <CronView />
    default:
      return <Empty title="No such view">{view}</Empty>
  }
}
