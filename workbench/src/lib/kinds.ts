import type { Step } from './types'

/** The kinds the UI colours: Motia's palette, plus purple for Python steps. */
export type Kind = 'api' | 'event' | 'cron' | 'noop' | 'python'

export const KIND_COLORS: Record<Kind, string> = {
  api: '#22c55e',
  event: '#3b82f6',
  cron: '#f59e0b',
  noop: '#94a3b8',
  python: '#a855f7',
}

export const KIND_LABELS: Record<Kind, string> = { api: 'API', event: 'Event', cron: 'Cron', noop: 'Noop', python: 'Python' }

export function stepKind(step: Step): Kind {
  if (step.language === 'python') return 'python'
  if (step.kind !== 'multi') return step.kind
  const first = step.triggers[0]?.type
  return first === 'http' ? 'api' : first === 'cron' ? 'cron' : first === 'queue' ? 'event' : 'noop'
}

/** What a step listens to, in words: `POST /orders`, `order.created`, `* * * * *`. */
export function triggerLabels(step: Step): string[] {
  return step.triggers.map((t) => {
    if (t.type === 'http') return `${t.method} ${t.path}`
    if (t.type === 'queue') return t.topic
    if (t.type === 'cron') return t.expression
    if (t.type === 'stream') return `stream ${t.streamName}`
    return 'state change'
  })
}

export function subscribedTopics(step: Step): string[] {
  return step.triggers.flatMap((t) => (t.type === 'queue' ? [t.topic] : []))
}
