import { useEffect, useMemo, useState } from 'react'
import type { GraphEdge, GraphNode } from './flow-graph'
import { toMermaid } from './mermaid'

export function MermaidDialog({ flow, nodes, edges, onClose }: { flow: string; nodes: GraphNode[]; edges: GraphEdge[]; onClose: () => void }) {
  const text = useMemo(() => toMermaid(flow, nodes, edges), [flow, nodes, edges])
  const [copied, setCopied] = useState(false)
  const download = () => {
    const a = document.createElement('a')
    a.href = URL.createObjectURL(new Blob([text], { type: 'text/plain' }))
    a.download = `${flow === '*' ? 'all-steps' : flow}.mmd`
    a.click()
    URL.revokeObjectURL(a.href)
  }
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose()
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [onClose])
  return (
    <div className="dialog-backdrop">
      <button type="button" className="dialog-dismiss" aria-label="Close" onClick={onClose} />
      <div className="dialog" role="dialog" aria-label="Mermaid export">
        <div className="dialog-head">
          <h2>Mermaid — {flow === '*' ? 'all steps' : flow}</h2>
          <button type="button" className="icon-btn" onClick={onClose} aria-label="Close">
            ×
          </button>
        </div>
        <textarea className="code mermaid-text" readOnly value={text} />
        <div className="dialog-foot">
          <button
            type="button"
            className="btn"
            onClick={() =>
              navigator.clipboard?.writeText(text).then(
                () => setCopied(true),
                () => setCopied(false),
              )
            }
          >
            {copied ? 'Copied' : 'Copy'}
          </button>
          <button type="button" className="btn primary" onClick={download}>
            Download .mmd
          </button>
        </div>
      </div>
    </div>
  )
}
