import { Background, Controls, MarkerType, MiniMap, ReactFlow, useReactFlow } from '@xyflow/react'
import { useEffect, useMemo, useState } from 'react'
import { Empty, ViewHeader } from '../../components/layout'
import { KIND_COLORS, KIND_LABELS, type Kind } from '../../lib/kinds'
import { useManifest } from '../../lib/manifest-context'
import { href } from '../../lib/use-route'
import { ALL_FLOWS, buildGraph, flowNames, stepsOfFlow } from './flow-graph'
import { layout } from './layout'
import { MermaidDialog } from './mermaid-dialog'
import { NodeDetails } from './node-details'
import { RoutedEdge, type RoutedFlowEdge } from './routed-edge'
import { type StepFlowNode, StepNode } from './step-node'

const nodeTypes = { step: StepNode }
const edgeTypes = { routed: RoutedEdge }

export function FlowsView({ flow }: { flow?: string }) {
  const { steps } = useManifest()
  const flows = flowNames(steps)
  const current = flow ?? flows[0] ?? ALL_FLOWS
  const [selected, setSelected] = useState<string>()
  const [mermaid, setMermaid] = useState(false)

  const graph = useMemo(() => buildGraph(stepsOfFlow(steps, current)), [steps, current])
  const { nodes, edges } = useMemo(() => {
    const pos = layout(graph.nodes, graph.edges)
    const nodes: StepFlowNode[] = graph.nodes.map((n) => ({ id: n.id, type: 'step', position: pos.nodes.get(n.id) ?? { x: 0, y: 0 }, data: { ...n } }))
    const edges: RoutedFlowEdge[] = graph.edges.map((e) => {
      const color = e.virtual ? '#64748b' : '#8b9bb4'
      const route = pos.edges.get(e.id)
      return {
        id: e.id,
        type: 'routed',
        source: e.source,
        target: e.target,
        data: { points: route?.points, labelAt: route?.label, label: e.label, virtual: e.virtual, conditional: e.conditional },
        className: `flow-edge${e.conditional ? ' conditional' : ''}${e.virtual ? ' virtual' : ''}`,
        style: { stroke: color, strokeWidth: 1.6, strokeDasharray: e.conditional ? '7 5' : e.virtual ? '2 5' : undefined },
        markerEnd: { type: MarkerType.ArrowClosed, color, width: 16, height: 16 },
      }
    })
    return { nodes, edges }
  }, [graph])

  const step = steps.find((s) => s.name === selected)
  if (steps.length === 0) return <Empty title="No steps">Add a step file under steps/ or src/.</Empty>

  return (
    <div className="view flows-view">
      <ViewHeader title="Flows" subtitle={`${graph.nodes.length} steps · ${graph.edges.length} edges`}>
        <Legend />
        <button type="button" className="btn" onClick={() => setMermaid(true)}>
          Export Mermaid
        </button>
      </ViewHeader>
      <div className="tabs">
        {[...flows, ALL_FLOWS].map((f) => (
          <a key={f} href={href('flows', [f])} className={`tab ${f === current ? 'active' : ''}`} data-flow={f}>
            {f === ALL_FLOWS ? 'All steps' : f}
          </a>
        ))}
      </div>
      <div className="flow-body">
        <div className="flow-canvas" data-testid="flow-canvas">
          <ReactFlow
            // Uncontrolled: a new manifest (a reload of `stepflare dev`) mounts a new graph.
            key={`${current}|${graphKey(graph)}`}
            defaultNodes={nodes}
            defaultEdges={edges}
            nodeTypes={nodeTypes}
            edgeTypes={edgeTypes}
            nodesDraggable={false}
            colorMode="dark"
            fitView
            fitViewOptions={{ padding: 0.15, maxZoom: 1.1 }}
            minZoom={0.2}
            onNodeClick={(_, n) => setSelected(n.id)}
            onPaneClick={() => setSelected(undefined)}
            proOptions={{ hideAttribution: true }}
          >
            <Background gap={22} size={1} color="#2a3140" />
            <Controls showInteractive={false} />
            <RefitOn value={selected} />
            {!step && <MiniMap pannable zoomable nodeColor={(n) => KIND_COLORS[(n.data as { kind: Kind }).kind]} maskColor="rgba(13,17,23,0.7)" />}
          </ReactFlow>
        </div>
        {step && <NodeDetails step={step} onClose={() => setSelected(undefined)} />}
      </div>
      {mermaid && <MermaidDialog flow={current} nodes={graph.nodes} edges={graph.edges} onClose={() => setMermaid(false)} />}
    </div>
  )
}

function graphKey(graph: { nodes: { id: string }[]; edges: { id: string }[] }): string {
  return `${graph.nodes.map((n) => n.id).join(',')}|${graph.edges.map((e) => e.id).join(',')}`
}

/** Fits the graph again when the details panel opens or closes (the canvas changed width). */
function RefitOn({ value }: { value: unknown }) {
  const { fitView } = useReactFlow()
  // biome-ignore lint/correctness/useExhaustiveDependencies: refit whenever the selection changes
  useEffect(() => {
    const t = setTimeout(() => fitView({ padding: 0.15, maxZoom: 1.1, duration: 200 }), 30)
    return () => clearTimeout(t)
  }, [value, fitView])
  return null
}

function Legend() {
  return (
    <div className="legend">
      {(Object.keys(KIND_COLORS) as Kind[]).map((k) => (
        <span key={k}>
          <i style={{ background: KIND_COLORS[k] }} />
          {KIND_LABELS[k]}
        </span>
      ))}
      <span>
        <i className="dash" /> conditional
      </span>
      <span>
        <i className="dots" /> virtual
      </span>
    </div>
  )
}
