import { useState } from 'react'
import { MethodBadge } from '../../components/badges'
import type { JsonSchema, Step, Trigger } from '../../lib/types'
import { BodyForm } from './body-form'
import { KvRows, newRow, type Row } from './kv-rows'
import { exampleOf, fillPath, pathParams } from './schema-example'

type Http = Extract<Trigger, { type: 'http' }>

export interface SentRequest {
  method: string
  url: string
  headers: Record<string, string>
  body?: string
}

const HAS_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** Params, body and headers for one endpoint, and the Send button. */
export function RequestForm({ step, trigger, busy, onSend }: { step: Step; trigger: Http; busy: boolean; onSend: (r: SentRequest) => void }) {
  const params = pathParams(trigger.path)
  const withBody = HAS_BODY.has(trigger.method)
  const [tab, setTab] = useState<'params' | 'body' | 'headers'>(withBody ? 'body' : 'params')
  const [pathValues, setPathValues] = useState<Record<string, string>>({})
  const [query, setQuery] = useState<Row[]>((trigger.queryParams ?? []).map((q) => newRow(q.name, '', false)))
  const [headers, setHeaders] = useState<Row[]>(withBody ? [newRow('content-type', 'application/json')] : [])
  const schema = trigger.bodySchema as JsonSchema | undefined
  const [bodyText, setBodyText] = useState(() => JSON.stringify(exampleOf(schema) ?? {}, null, 2))
  const [bodyMode, setBodyMode] = useState<'form' | 'json'>(schema?.properties ? 'form' : 'json')

  const url = () => {
    const q = new URLSearchParams(query.filter((r) => r.on && r.key).map((r) => [r.key, r.value])).toString()
    return `${fillPath(trigger.path, pathValues)}${q ? `?${q}` : ''}`
  }
  const send = () =>
    onSend({
      method: trigger.method,
      url: url(),
      headers: Object.fromEntries(headers.filter((r) => r.on && r.key).map((r) => [r.key, r.value])),
      body: withBody ? bodyText : undefined,
    })

  return (
    <div className="request">
      <div className="request-line">
        <MethodBadge method={trigger.method} />
        <code className="request-url" data-testid="request-url">
          {url()}
        </code>
        <button type="button" className="btn primary" onClick={send} disabled={busy} data-testid="send">
          {busy ? 'Sending…' : 'Send'}
        </button>
      </div>
      {step.description && <p className="muted">{step.description}</p>}
      <div className="tabs small">
        {(['params', 'body', 'headers'] as const).map((t) => (
          <button type="button" key={t} className={`tab ${tab === t ? 'active' : ''}`} onClick={() => setTab(t)} disabled={t === 'body' && !withBody}>
            {t === 'params' ? `Params${params.length ? ` (${params.length})` : ''}` : t === 'body' ? 'Body' : `Headers (${headers.filter((h) => h.on).length})`}
          </button>
        ))}
      </div>
      {tab === 'params' && (
        <div className="tab-body">
          {params.length > 0 && (
            <div className="form-grid">
              {params.map((p) => (
                <label key={p} className="field">
                  <span className="field-name">
                    :{p} <b className="req">*</b>
                    <span className="field-type">path</span>
                  </span>
                  <input name={`path.${p}`} value={pathValues[p] ?? ''} onChange={(e) => setPathValues({ ...pathValues, [p]: e.target.value })} />
                </label>
              ))}
            </div>
          )}
          <div className="label">Query parameters</div>
          <KvRows rows={query} onChange={setQuery} keyHint="name" prefix="query" />
        </div>
      )}
      {tab === 'body' && withBody && (
        <div className="tab-body">
          <div className="segmented">
            <button type="button" className={bodyMode === 'form' ? 'on' : ''} onClick={() => setBodyMode('form')} disabled={!schema?.properties}>
              Form
            </button>
            <button type="button" className={bodyMode === 'json' ? 'on' : ''} onClick={() => setBodyMode('json')}>
              JSON
            </button>
          </div>
          {bodyMode === 'form' && schema ? (
            <BodyForm schema={schema} text={bodyText} onText={setBodyText} />
          ) : (
            <textarea name="body" className="code body-editor" value={bodyText} onChange={(e) => setBodyText(e.target.value)} spellCheck={false} rows={10} />
          )}
        </div>
      )}
      {tab === 'headers' && (
        <div className="tab-body">
          <KvRows rows={headers} onChange={setHeaders} keyHint="header" prefix="header" />
        </div>
      )}
    </div>
  )
}
