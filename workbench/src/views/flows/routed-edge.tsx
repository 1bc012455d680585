import { BaseEdge, type Edge, EdgeLabelRenderer, type EdgeProps, getBezierPath } from '@xyflow/react'
import type { Point } from './layout'

export type RoutedEdgeData = { points?: Point[]; labelAt?: Point; label: string; virtual: boolean; conditional: boolean }
export type RoutedFlowEdge = Edge<RoutedEdgeData, 'routed'>

/** A smooth path through dagre's route (so an edge never crosses a step), from handle to handle. */
function throughPoints(points: Point[]): string {
  const [first, ...rest] = points
  if (!first) return ''
  let d = `M ${first.x} ${first.y}`
  for (let i = 0; i < rest.length - 1; i++) {
    const p = rest[i] as Point
    const q = rest[i + 1] as Point
    d += ` Q ${p.x} ${p.y} ${(p.x + q.x) / 2} ${(p.y + q.y) / 2}`
  }
  const last = rest[rest.length - 1]
  if (last) d += ` L ${last.x} ${last.y}`
  return d
}

export function RoutedEdge(props: EdgeProps<RoutedFlowEdge>) {
  const { sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, markerEnd, style } = props
  const inner = data?.points?.slice(1, -1) ?? []
  let path: string
  let labelX: number
  let labelY: number
  if (inner.length > 0 && data?.labelAt) {
    path = throughPoints([{ x: sourceX, y: sourceY }, ...inner, { x: targetX, y: targetY }])
    labelX = data.labelAt.x
    labelY = data.labelAt.y
  } else {
    ;[path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition })
  }
  return (
    <>
      <BaseEdge path={path} markerEnd={markerEnd} style={style} />
      {data?.label && (
        <EdgeLabelRenderer>
          <div
            className={`edge-label${data.virtual ? ' virtual' : ''}${data.conditional ? ' conditional' : ''}`}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            data-edge-label={data.label}
          >
            {data.label}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  )
}
