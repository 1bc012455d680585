/**
 * The workbench's pure parts, without a browser: the flow graph built from a manifest (edges from
 * emits and subscribes, virtual and conditional ones), its layout, the Mermaid export, and the
 * request form's starting values.
 */
import { describe, expect, it } from 'vitest'
import type { Step } from '../../workbench/src/lib/types'
import { exampleOf, fillPath, pathParams } from '../../workbench/src/views/endpoints/schema-example'
import { buildGraph, flowNames, stepsOfFlow } from '../../workbench/src/views/flows/flow-graph'
import { layout, NODE_WIDTH } from '../../workbench/src/views/flows/layout'
import { toMermaid } from '../../workbench/src/views/flows/mermaid'

const step = (s: Partial<Step> & Pick<Step, 'name' | 'kind'>): Step => ({
  file: `steps/${s.name}.step.ts`,
  language: 'typescript',
  style: 'classic',
  flows: ['f'],
  emits: [],
  virtualEmits: [],
  virtualSubscribes: [],
  triggers: [],
  ...s,
})

const steps: Step[] = [
  step({
    name: 'Api',
    kind: 'api',
    triggers: [{ type: 'http', method: 'POST', path: '/x' }],
    emits: [{ topic: 'a' }, { topic: 'flag', label: 'big', conditional: true }],
  }),
  step({ name: 'Ev', kind: 'event', triggers: [{ type: 'queue', topic: 'a' }], emits: [{ topic: 'b' }] }),
  step({ name: 'Py', kind: 'event', language: 'python', triggers: [{ type: 'queue', topic: 'b', conditional: true }] }),
  step({ name: 'Review', kind: 'noop', virtualSubscribes: ['flag'], virtualEmits: [{ topic: 'a', label: 'approved' }] }),
  step({ name: 'Tick', kind: 'cron', triggers: [{ type: 'cron', expression: '* * * * *' }], flows: ['other'] }),
]

describe('the flow graph', () => {
  it('has one edge per emitter, topic and subscriber, virtual and conditional ones marked', () => {
    expect(flowNames(steps)).toEqual(['f', 'other'])
    const { nodes, edges } = buildGraph(stepsOfFlow(steps, 'f'))
    expect(nodes.map((n) => [n.id, n.kind])).toEqual([
      ['Api', 'api'],
      ['Ev', 'event'],
      ['Py', 'python'],
      ['Review', 'noop'],
    ])
    expect(edges.map((e) => [e.id, e.label, e.conditional, e.virtual])).toEqual([
      ['Api->Ev:a', 'a', false, false],
      ['Api->Review:flag', 'big', true, true],
      ['Ev->Py:b', 'b', true, false],
      ['Review->Ev:a', 'approved', false, true],
    ])
  })

  it('lays steps out left to right without overlaps and routes every edge', () => {
    const { nodes, edges } = buildGraph(stepsOfFlow(steps, 'f'))
    const pos = layout(nodes, edges)
    const api = pos.nodes.get('Api')
    const ev = pos.nodes.get('Ev')
    const py = pos.nodes.get('Py')
    expect(api && ev && py && api.x < ev.x && ev.x < py.x).toBe(true)
    const boxes = [...pos.nodes.values()]
    for (const a of boxes) for (const b of boxes) if (a !== b) expect(Math.abs(a.x - b.x) >= NODE_WIDTH || Math.abs(a.y - b.y) >= 92).toBe(true)
    for (const e of edges) expect(pos.edges.get(e.id)?.points.length).toBeGreaterThan(1)
  })

  it('exports Mermaid with kinds as classes and dashed conditional edges', () => {
    const { nodes, edges } = buildGraph(stepsOfFlow(steps, 'f'))
    const text = toMermaid('f', nodes, edges)
    expect(text).toContain('flowchart LR')
    expect(text).toContain('Api["Api<br/><small>POST /x</small>"]:::api')
    expect(text).toContain('Py["Py<br/><small>b</small>"]:::python')
    expect(text).toContain('Api -->|a| Ev')
    expect(text).toContain('Api -.->|big| Review')
    expect(text).toContain('classDef cron')
  })
})

describe('the request form', () => {
  it('starts from defaults, enums and the smallest valid numbers, required fields only', () => {
    const schema = {
      type: 'object',
      properties: {
        id: { type: 'string' },
        amount: { type: 'number', exclusiveMinimum: 0 },
        kind: { type: 'string', enum: ['a', 'b'] },
        tags: { type: 'array', items: { type: 'string' } },
        note: { type: 'string' },
        qty: { type: 'integer', default: 2 },
      },
      required: ['id', 'amount', 'kind', 'tags', 'qty'],
    }
    expect(exampleOf(schema)).toEqual({ id: '', amount: 1, kind: 'a', tags: [], qty: 2 })
  })

  it('fills path parameters', () => {
    expect(pathParams('/orders/:id/items/:item')).toEqual(['id', 'item'])
    expect(fillPath('/orders/:id/items/:item', { id: 'o 1', item: '2' })).toBe('/orders/o%201/items/2')
  })
})
