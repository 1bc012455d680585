import dagre from '@dagrejs/dagre'
import type { GraphEdge, GraphNode } from './flow-graph'

export const NODE_WIDTH = 230
export const NODE_HEIGHT = 92

export interface Point {
  x: number
  y: number
}

export interface Layout {
  nodes: Map<string, Point>
  /** Each edge's route around the nodes, and where its label sits. */
  edges: Map<string, { points: Point[]; label: Point }>
}

/** Positions by dagre, left to right; steps with no edges line up in the first column. */
export function layout(nodes: GraphNode[], edges: GraphEdge[]): Layout {
  const g = new dagre.graphlib.Graph({ multigraph: true })
  g.setGraph({ rankdir: 'LR', nodesep: 36, ranksep: 90, edgesep: 24, marginx: 20, marginy: 20 })
  g.setDefaultEdgeLabel(() => ({}))
  for (const n of nodes) g.setNode(n.id, { width: NODE_WIDTH, height: NODE_HEIGHT })
  for (const e of edges) g.setEdge(e.source, e.target, { width: e.label.length * 7 + 16, height: 20, labelpos: 'c' }, e.id)
  dagre.layout(g)
  const out: Layout = { nodes: new Map(), edges: new Map() }
  for (const n of nodes) {
    const p = g.node(n.id)
    out.nodes.set(n.id, { x: p.x - NODE_WIDTH / 2, y: p.y - NODE_HEIGHT / 2 })
  }
  for (const e of edges) {
    const d = g.edge(e.source, e.target, e.id) as { points?: Point[]; x?: number; y?: number } | undefined
    if (d?.points) out.edges.set(e.id, { points: d.points, label: { x: d.x ?? 0, y: d.y ?? 0 } })
  }
  return out
}
