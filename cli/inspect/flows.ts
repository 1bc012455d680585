/**
 * `stepflare flows [--mermaid] [--json]`: the project's flows as step graphs. An edge goes from a
 * step that emits a topic to each step that subscribes to it; virtual emits and subscribes
 * (documentation-only edges, as in Motia's workbench) are marked. `--mermaid` prints a Mermaid
 * flowchart per flow (API green, event blue, cron orange, noop grey, as Motia drew them).
 * @module
 */
import type { StepModel } from '../../sdk/config/model'
import { subscribedTopics } from '../../sdk/config/normalize'
import { color } from '../print'
import { loadValid, models } from './load'

export interface FlowEdge {
  from: string
  to: string
  topic: string
  virtual: boolean
}

export interface FlowInfo {
  name: string
  steps: { name: string; kind: StepModel['kind']; file: string; trigger: string }[]
  edges: FlowEdge[]
}

/** Steps without a flow are grouped under this name. */
export const NO_FLOW = '(no flow)'

function describeTrigger(s: StepModel): string {
  return s.triggers
    .map((t) => (t.type === 'http' ? `${t.method} ${t.path}` : t.type === 'queue' ? `on ${t.topic}` : t.type === 'cron' ? `cron ${t.expression}` : t.type))
    .join(', ')
}

export function listFlows(steps: StepModel[]): FlowInfo[] {
  const edges: FlowEdge[] = []
  for (const from of steps) {
    const real = new Set(from.emits.map((e) => e.topic))
    const virtual = new Set(from.virtualEmits.map((e) => e.topic))
    for (const to of steps) {
      const subs = new Set(subscribedTopics(to))
      const vsubs = new Set(to.virtualSubscribes)
      for (const topic of new Set([...real, ...virtual])) {
        if (subs.has(topic) && real.has(topic)) edges.push({ from: from.name, to: to.name, topic, virtual: false })
        else if (subs.has(topic) || vsubs.has(topic)) edges.push({ from: from.name, to: to.name, topic, virtual: true })
      }
    }
  }
  const names = [...new Set(steps.flatMap((s) => (s.flows.length ? s.flows : [NO_FLOW])))].sort((a, b) =>
    a === NO_FLOW ? 1 : b === NO_FLOW ? -1 : a.localeCompare(b),
  )
  return names.map((name) => {
    const members = steps.filter((s) => (s.flows.length ? s.flows.includes(name) : name === NO_FLOW))
    const inFlow = new Set(members.map((s) => s.name))
    return {
      name,
      steps: members.map((s) => ({ name: s.name, kind: s.kind, file: s.file, trigger: describeTrigger(s) })),
      edges: edges.filter((e) => inFlow.has(e.from) && inFlow.has(e.to)),
    }
  })
}

const KIND_CLASS: Record<StepModel['kind'], string> = { api: 'api', event: 'event', cron: 'cron', noop: 'noop', multi: 'multi' }

const nodeId = (name: string) => `s_${name.replace(/[^A-Za-z0-9_]/g, '_')}`
const label = (text: string) => text.replace(/"/g, '#quot;')

export function toMermaid(flow: FlowInfo): string {
  const lines = [`%% flow: ${flow.name}`, 'flowchart LR']
  for (const s of flow.steps) lines.push(`  ${nodeId(s.name)}["${label(s.name)}<br/><small>${label(s.trigger || s.kind)}</small>"]:::${KIND_CLASS[s.kind]}`)
  for (const e of flow.edges) lines.push(`  ${nodeId(e.from)} ${e.virtual ? '-.->' : '-->'}|${label(e.topic)}| ${nodeId(e.to)}`)
  lines.push(
    '  classDef api fill:#dcfce7,stroke:#16a34a',
    '  classDef event fill:#dbeafe,stroke:#2563eb',
    '  classDef cron fill:#ffedd5,stroke:#ea580c',
    '  classDef noop fill:#f3f4f6,stroke:#6b7280',
    '  classDef multi fill:#f3e8ff,stroke:#9333ea',
  )
  return lines.join('\n')
}

export function formatFlows(flows: FlowInfo[]): string {
  if (flows.length === 0) return 'No steps yet: add a *.step.ts file under steps/.'
  const out: string[] = []
  for (const f of flows) {
    out.push(color.bold(f.name))
    for (const s of f.steps) {
      out.push(`  ${color.cyan(s.name)} ${color.gray(`(${s.kind}${s.trigger ? `: ${s.trigger}` : ''})`)}`)
      for (const e of f.edges.filter((x) => x.from === s.name))
        out.push(`    ${e.virtual ? '⇢' : '→'} ${e.topic} → ${e.to}${e.virtual ? color.gray(' (virtual)') : ''}`)
    }
  }
  return out.join('\n')
}

export async function flowsCommand(opts: { root: string; mermaid?: boolean; json?: boolean }): Promise<void> {
  const flows = listFlows(models(await loadValid(opts.root)))
  if (opts.json) console.log(JSON.stringify({ flows }, null, 2))
  else if (opts.mermaid) console.log(flows.map(toMermaid).join('\n\n'))
  else console.log(formatFlows(flows))
}
