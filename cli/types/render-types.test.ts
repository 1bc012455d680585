import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { normalizeStep } from '../../sdk/config/normalize'
import type { StepConfig } from '../../sdk/types'
import { pathParamsType } from './handler-entries'
import { renderTypes } from './render-types'

const step = (config: StepConfig) => normalizeStep(config, { file: `steps/${config.name}.step.ts` })

describe('pathParamsType', () => {
  it('reads the parameters of a path', () => {
    expect(pathParamsType('/orders')).toBe('{}')
    expect(pathParamsType('/orders/:id')).toBe('{ id: string }')
    expect(pathParamsType('/shops/:shop/orders/:orderId{[0-9]+}/:tab?')).toBe('{ shop: string; orderId: string; tab?: string }')
  })
})

describe('renderTypes', () => {
  const steps = [
    step({ type: 'api', name: 'Create', path: '/things/:id', method: 'POST', emits: ['thing.created'], bodySchema: z.object({ n: z.number() }) }),
    step({
      type: 'event',
      name: 'A',
      subscribes: ['thing.created'],
      emits: [],
      input: z.object({ n: z.number() }),
      infrastructure: { queue: { type: 'fifo' } },
    }),
    step({
      type: 'event',
      name: 'B',
      subscribes: ['thing.created'],
      emits: ['thing.done'],
      input: { type: 'object', properties: { tag: { type: 'string' } } },
    }),
    step({ type: 'cron', name: 'Tick', cron: '* * * * *', emits: [] }),
    step({ type: 'noop', name: 'Person', virtualEmits: [], virtualSubscribes: [] }),
  ]
  const text = renderTypes({ steps, streams: [{ name: 'live', schema: z.object({ at: z.number() }) }], authContextSchema: z.object({ userId: z.string() }) })

  it('augments both stepflare and motia', () => {
    expect(text).toContain("declare module 'stepflare' {")
    expect(text).toContain("declare module 'motia' {")
    expect(text.match(/interface Handlers extends StepHandlers \{\}/g)).toHaveLength(2)
    expect(text.match(/interface StreamAuthContext extends StepStreamAuthContext \{\}/g)).toHaveLength(2)
    expect(text).toContain('type StepStreamAuthContext = { userId: string }')
    expect(text.trimEnd().endsWith('export {}')).toBe(true)
  })

  it('types an API step from its body schema and path, and merges the data of a topic from all subscribers', () => {
    expect(text).toContain(
      '  Create: ApiRouteHandler<{ n: number }, ApiResponse<number, unknown>, { topic: "thing.created"; data: { n: number } & { tag?: string }; messageGroupId: string }, { id: string }>',
    )
  })

  it('gives a topic without subscribers unknown data and a cron step without emits an emit that takes any event', () => {
    expect(text).toContain('  B: EventHandler<{ tag?: string }, { topic: "thing.done"; data: unknown; messageGroupId?: string }>')
    expect(text).toContain('  Tick: CronHandler<EmitEvent>')
    expect(text).not.toContain('never')
  })

  it('gives a noop step no handler, and types the streams', () => {
    expect(text).not.toContain('Person:')
    expect(text).toContain('  live: MotiaStream<{ at: number }>')
  })

  it('imports only the SDK types it uses', () => {
    const empty = renderTypes({ steps: [], streams: [] })
    expect(empty).not.toContain('import type')
    expect(text).toMatch(/^import type \{ ApiRequest|^import type \{ ApiResponse/m)
  })
})
