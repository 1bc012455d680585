import { KindBadge, MethodBadge } from '../../components/badges'
import { JsonTree } from '../../components/json-tree'
import { Section } from '../../components/layout'
import { SchemaFields } from '../../components/schema-fields'
import { stepKind, triggerLabels } from '../../lib/kinds'
import type { Step, Trigger } from '../../lib/types'
import { href } from '../../lib/use-route'

/** The side panel for a clicked node: the step's config, schemas and source file. */
export function NodeDetails({ step, onClose }: { step: Step; onClose: () => void }) {
  const kind = stepKind(step)
  const http = step.triggers.find((t) => t.type === 'http')
  const cron = step.triggers.find((t) => t.type === 'cron')
  return (
    <aside className="details" data-testid="node-details">
      <div className="details-head">
        <div>
          <KindBadge kind={kind} />
          <h2>{step.name}</h2>
          {step.description && <p className="muted">{step.description}</p>}
        </div>
        <button type="button" className="icon-btn" onClick={onClose} aria-label="Close">
          ×
        </button>
      </div>
      <div className="kv">
        <span>Source</span>
        <code className="path" title="relative to the project root">
          {step.file}
        </code>
        <span>Language</span>
        <span>{step.language}</span>
        <span>Flows</span>
        <span>{step.flows.join(', ') || '—'}</span>
        {step.timeoutMs !== undefined && (
          <>
            <span>Timeout</span>
            <span>{step.timeoutMs / 1000} s</span>
          </>
        )}
      </div>
      <div className="details-links">
        {http && <a href={href('endpoints', [step.name])}>Try it in Endpoints →</a>}
        {cron && <a href={href('cron')}>Run it in Cron →</a>}
        <a href={href('traces', [], { step: step.name })}>Traces started here →</a>
      </div>
      <Section title="Triggers">
        {step.triggers.length === 0 && <p className="muted">None (a noop step)</p>}
        {step.triggers.map((t, i) => (
          <TriggerCard key={`${t.type}:${triggerLabels(step)[i]}`} trigger={t} />
        ))}
      </Section>
      <Section title="Emits">
        {step.emits.length === 0 && step.virtualEmits.length === 0 && <p className="muted">{step.emitsAny ? 'any topic (emits: [])' : 'nothing'}</p>}
        <ul className="topics">
          {step.emits.map((e) => (
            <li key={e.topic}>
              <code>{e.topic}</code>
              {e.label && <span className="muted"> “{e.label}”</span>}
              {e.conditional && <span className="tag">conditional</span>}
            </li>
          ))}
          {step.virtualEmits.map((e) => (
            <li key={`v:${e.topic}`}>
              <code>{e.topic}</code> <span className="tag">virtual</span>
            </li>
          ))}
          {step.virtualSubscribes.map((t) => (
            <li key={`vs:${t}`}>
              ← <code>{t}</code> <span className="tag">virtual subscribe</span>
            </li>
          ))}
        </ul>
      </Section>
    </aside>
  )
}

function TriggerCard({ trigger: t }: { trigger: Trigger }) {
  const { type: _type, ...rest } = t
  const schema = t.type === 'http' ? t.bodySchema : t.type === 'queue' ? t.input : undefined
  return (
    <div className="trigger-card">
      <div className="trigger-title">
        {t.type === 'http' ? (
          <>
            <MethodBadge method={t.method} /> <code>{t.path}</code>
          </>
        ) : t.type === 'queue' ? (
          <>
            <span className="tag">queue</span> <code>{t.topic}</code>
          </>
        ) : t.type === 'cron' ? (
          <>
            <span className="tag">cron</span> <code>{t.expression}</code>
          </>
        ) : (
          <span className="tag">{t.type}</span>
        )}
        {t.conditional && <span className="tag">conditional</span>}
      </div>
      {schema && (
        <div className="schema">
          <div className="label">{t.type === 'http' ? 'bodySchema' : 'input'}</div>
          <SchemaFields schema={schema} />
        </div>
      )}
      {t.type === 'http' && t.responseSchema && (
        <div className="schema">
          <div className="label">responseSchema</div>
          <JsonTree value={t.responseSchema} open={1} />
        </div>
      )}
      {t.type === 'queue' && t.queue && (
        <div className="schema">
          <div className="label">queue</div>
          <JsonTree value={t.queue} open={1} />
        </div>
      )}
      {t.type === 'http' && (t.queryParams?.length ?? 0) > 0 && (
        <div className="schema">
          <div className="label">queryParams</div>
          <JsonTree value={rest} open={0} />
        </div>
      )}
    </div>
  )
}
