import { type Kind, stepKind, subscribedTopics, triggerLabels } from '../../lib/kinds'
import type { Step } from '../../lib/types'

/** The graph of one flow, before layout: steps, and one edge per (emitter, topic, subscriber). */
export interface GraphNode {
  id: string
  step: Step
  kind: Kind
  subtitle: string
}

export interface GraphEdge {
  id: string
  source: string
  target: string
  topic: string
  label: string
  /** Declared with `conditional: true` on the emit or the subscribing trigger: drawn dashed. */
  conditional: boolean
  /** From `virtualEmits` / `virtualSubscribes`: documentation only, drawn dotted. */
  virtual: boolean
}

export const ALL_FLOWS = '*'

export function flowNames(steps: Step[]): string[] {
  return [...new Set(steps.flatMap((s) => s.flows))].sort()
}

export function stepsOfFlow(steps: Step[], flow: string): Step[] {
  return flow === ALL_FLOWS ? steps : steps.filter((s) => s.flows.includes(flow))
}

export function buildGraph(steps: Step[]): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const nodes = steps.map((step) => ({ id: step.name, step, kind: stepKind(step), subtitle: triggerLabels(step).join(' · ') }))
  const subscribers = new Map<string, { step: Step; virtual: boolean; conditional: boolean }[]>()
  for (const step of steps) {
    const add = (topic: string, virtual: boolean, conditional: boolean) =>
      subscribers.set(topic, [...(subscribers.get(topic) ?? []), { step, virtual, conditional }])
    for (const t of step.triggers) if (t.type === 'queue') add(t.topic, false, !!t.conditional)
    for (const topic of step.virtualSubscribes) if (!subscribedTopics(step).includes(topic)) add(topic, true, false)
  }
  const edges: GraphEdge[] = []
  const seen = new Set<string>()
  for (const step of steps) {
    const emits = [...step.emits.map((e) => ({ ...e, virtual: false })), ...step.virtualEmits.map((e) => ({ ...e, virtual: true }))]
    for (const emit of emits) {
      for (const sub of subscribers.get(emit.topic) ?? []) {
        const id = `${step.name}->${sub.step.name}:${emit.topic}`
        if (seen.has(id)) continue
        seen.add(id)
        edges.push({
          id,
          source: step.name,
          target: sub.step.name,
          topic: emit.topic,
          label: emit.label ?? emit.topic,
          conditional: !!emit.conditional || sub.conditional,
          virtual: emit.virtual || sub.virtual,
        })
      }
    }
  }
  return { nodes, edges }
}
