/**
 * The emit side of the generated types: for every topic, the data its subscribers accept (their
 * `input` schemas merged: an event must satisfy every subscriber) and whether a subscriber is FIFO
 * (then `messageGroupId` is required); for every step, the union of what it may emit.
 * @module
 */
import type { StepModel } from '../../sdk/config/model'
import type { SchemaTypes } from './schema-types'

export interface TopicType {
  /** The data type: the intersection of the subscribers' input types, `unknown` without any. */
  data: string
  fifo: boolean
}

/** Any topic, any data: what a step whose `emits` is empty may emit (Motia's rule). */
export const ANY_EMIT = 'EmitEvent'

export function topicTypes(steps: StepModel[], schemas: SchemaTypes): Map<string, TopicType> {
  const inputs = new Map<string, { types: string[]; fifo: boolean }>()
  for (const step of steps) {
    for (const t of step.triggers) {
      if (t.type !== 'queue') continue
      const entry = inputs.get(t.topic) ?? { types: [], fifo: false }
      entry.fifo ||= t.queue.type === 'fifo'
      if (t.input !== undefined) {
        const type = schemas.type(t.input, `${step.name}Input`)
        if (!entry.types.includes(type)) entry.types.push(type)
      }
      inputs.set(t.topic, entry)
    }
  }
  const out = new Map<string, TopicType>()
  for (const [topic, { types, fifo }] of inputs) {
    const known = types.filter((t) => t !== 'unknown')
    out.set(topic, { data: known.length === 0 ? 'unknown' : known.length === 1 ? (known[0] as string) : known.map(paren).join(' & '), fifo })
  }
  return out
}

const paren = (t: string) => (/^\{.*\}$/.test(t) || /^[A-Za-z0-9_$]+$/.test(t) ? t : `(${t})`)

/** One member of an emit union. */
export function emitMember(topic: string, type: TopicType | undefined): string {
  const data = type?.data ?? 'unknown'
  const group = type?.fifo ? 'messageGroupId: string' : 'messageGroupId?: string'
  return `{ topic: ${JSON.stringify(topic)}; data: ${data}; ${group} }`
}

/**
 * What `ctx.emit` accepts in a step: one member per declared topic, or any event when `emits` is
 * empty. Never `never`, so a cron or a step without emits can still call `emit` (Motia #1149).
 */
export function emitUnion(step: StepModel, topics: Map<string, TopicType>): string {
  if (step.emitsAny || step.emits.length === 0) return ANY_EMIT
  const unique = [...new Set(step.emits.map((e) => e.topic))]
  return unique.map((t) => emitMember(t, topics.get(t))).join(' | ')
}
