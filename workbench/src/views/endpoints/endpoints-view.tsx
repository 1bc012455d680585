import { useMemo, useState } from 'react'
import { MethodBadge } from '../../components/badges'
import { Empty, ViewHeader } from '../../components/layout'
import { useManifest } from '../../lib/manifest-context'
import type { Step, Trigger } from '../../lib/types'
import { href } from '../../lib/use-route'
import { RequestForm, type SentRequest } from './request-form'
import { type ApiResult, ResponseView } from './response-view'

type Http = Extract<Trigger, { type: 'http' }>
interface Endpoint {
  key: string
  step: Step
  trigger: Http
}

export function EndpointsView({ step: selected }: { step?: string }) {
  const { steps } = useManifest()
  const [filter, setFilter] = useState('')
  const endpoints = useMemo<Endpoint[]>(
    () =>
      steps
        .flatMap((step) => step.triggers.flatMap((t, i) => (t.type === 'http' ? [{ key: `${step.name}#${i}`, step, trigger: t }] : [])))
        .sort((a, b) => a.trigger.path.localeCompare(b.trigger.path) || a.trigger.method.localeCompare(b.trigger.method)),
    [steps],
  )
  const current = endpoints.find((e) => e.step.name === selected || e.key === selected) ?? endpoints[0]
  const shown = endpoints.filter((e) => `${e.trigger.method} ${e.trigger.path} ${e.step.name}`.toLowerCase().includes(filter.toLowerCase()))
  if (!current) return <Empty title="No API steps">Add a step with type: 'api' to try it here.</Empty>
  return (
    <div className="view split">
      <div className="list-pane">
        <ViewHeader title="Endpoints" subtitle={`${endpoints.length} API routes`} />
        <input className="search" placeholder="Filter routes" value={filter} onChange={(e) => setFilter(e.target.value)} />
        <ul className="list">
          {shown.map((e) => (
            <li key={e.key}>
              <a href={href('endpoints', [e.key])} className={`list-item ${e === current ? 'active' : ''}`} data-endpoint={e.step.name}>
                <MethodBadge method={e.trigger.method} />
                <span className="list-main">
                  <code>{e.trigger.path}</code>
                  <small>{e.step.name}</small>
                </span>
              </a>
            </li>
          ))}
        </ul>
      </div>
      <div className="detail-pane">
        <Tester key={current.key} endpoint={current} />
      </div>
    </div>
  )
}

function Tester({ endpoint }: { endpoint: Endpoint }) {
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<ApiResult>()
  const send = async (req: SentRequest) => {
    setBusy(true)
    const t0 = performance.now()
    try {
      const r = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body })
      const text = await r.text()
      let json: unknown
      if ((r.headers.get('content-type') ?? '').includes('json') && text) json = JSON.parse(text)
      setResult({ status: r.status, statusText: r.statusText, timeMs: performance.now() - t0, headers: [...r.headers.entries()], text, json })
    } catch (err) {
      setResult({ status: 0, statusText: '', timeMs: performance.now() - t0, headers: [], text: '', error: (err as Error).message })
    } finally {
      setBusy(false)
    }
  }
  return (
    <div className="tester">
      <h2 className="tester-title">
        {endpoint.step.name} <small className="muted mono">{endpoint.step.file}</small>
      </h2>
      <RequestForm step={endpoint.step} trigger={endpoint.trigger} busy={busy} onSend={send} />
      {result ? <ResponseView result={result} /> : <div className="response placeholder muted">Send the request to see the response here.</div>}
    </div>
  )
}
