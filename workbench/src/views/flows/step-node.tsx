import { Handle, type Node, type NodeProps, Position } from '@xyflow/react'
import { memo } from 'react'
import { KIND_COLORS, KIND_LABELS } from '../../lib/kinds'
import type { GraphNode } from './flow-graph'

export type StepNodeData = GraphNode & Record<string, unknown>
export type StepFlowNode = Node<StepNodeData, 'step'>

/** A step in the graph: a coloured kind stripe, its name, what triggers it and its description. */
export const StepNode = memo(function StepNode({ data, selected }: NodeProps<StepFlowNode>) {
  const color = KIND_COLORS[data.kind]
  return (
    <div className={`step-node ${selected ? 'selected' : ''}`} style={{ borderColor: selected ? color : undefined }} data-step={data.id} data-kind={data.kind}>
      <Handle type="target" position={Position.Left} style={{ background: color }} />
      <div className="step-node-stripe" style={{ background: color }} />
      <div className="step-node-body">
        <div className="step-node-top">
          <span className="step-node-kind" style={{ color }}>
            {KIND_LABELS[data.kind]}
          </span>
          {data.step.language === 'python' && data.kind !== 'python' && <span className="step-node-lang">py</span>}
        </div>
        <div className="step-node-name">{data.id}</div>
        <div className="step-node-sub">{data.subtitle || (data.kind === 'noop' ? 'no trigger' : '')}</div>
        {data.step.description && <div className="step-node-desc">{data.step.description}</div>}
      </div>
      <Handle type="source" position={Position.Right} style={{ background: color }} />
    </div>
  )
})
