import type { GraphEdge, GraphNode } from './flow-graph'

const id = (name: string) => name.replace(/[^A-Za-z0-9_]/g, '_')
const text = (s: string) => s.replace(/"/g, '#quot;')

/** The flow as a Mermaid flowchart (Motia's `-m` export): classes per kind, dashed conditional edges. */
export function toMermaid(flow: string, nodes: GraphNode[], edges: GraphEdge[]): string {
  const lines = [`%% ${flow} — exported from the stepflare workbench`, 'flowchart LR']
  for (const n of nodes) {
    const sub = n.subtitle ? `<br/><small>${text(n.subtitle)}</small>` : ''
    lines.push(`  ${id(n.id)}["${text(n.id)}${sub}"]:::${n.kind}`)
  }
  for (const e of edges) {
    const arrow = e.conditional || e.virtual ? '-.->' : '-->'
    lines.push(`  ${id(e.source)} ${arrow}|${text(e.label)}| ${id(e.target)}`)
  }
  lines.push(
    '  classDef api fill:#dcfce7,stroke:#16a34a,color:#14532d',
    '  classDef event fill:#dbeafe,stroke:#2563eb,color:#1e3a8a',
    '  classDef cron fill:#fef3c7,stroke:#d97706,color:#78350f',
    '  classDef noop fill:#f1f5f9,stroke:#64748b,color:#1e293b',
    '  classDef python fill:#f3e8ff,stroke:#9333ea,color:#581c87',
  )
  return `${lines.join('\n')}\n`
}
