import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { normalizeStep } from './normalize'
import { cronProblem, validateProject, validateStepModule } from './validate'

const handler = async () => {}

describe('validateStepModule', () => {
  it('accepts every field of the classic styles and the triggers style', () => {
    const mods = [
      {
        config: {
          type: 'api',
          name: 'A',
          path: '/a/:id',
          method: 'POST',
          emits: [{ topic: 't', label: 'x', conditional: true }],
          virtualEmits: ['v'],
          virtualSubscribes: ['/s'],
          flows: ['f'],
          description: 'd',
          middleware: [handler],
          bodySchema: z.object({}),
          bodyTypes: ['json', 'form'],
          responseSchema: { 200: z.object({}) },
          queryParams: [{ name: 'q' }],
          includeFiles: ['x.txt'],
        },
        handler,
      },
      {
        config: {
          type: 'event',
          name: 'E',
          subscribes: ['t'],
          emits: [],
          input: { type: 'object' },
          infrastructure: { handler: { timeout: 5, ram: 256 }, queue: { type: 'fifo', maxRetries: 1, visibilityTimeout: 10, delaySeconds: 2 } },
        },
        handler,
      },
      { config: { type: 'cron', name: 'C', cron: '*/5 * * * *', emits: [] }, handler },
      { config: { type: 'noop', name: 'N', virtualEmits: [], virtualSubscribes: [] } },
      {
        config: {
          name: 'T',
          triggers: [
            { type: 'http', method: 'GET', path: '/t' },
            { type: 'queue', topic: 't', config: { maxRetries: 2, backoffType: 'fixed', backoffDelayMs: 10 } },
            { type: 'cron', expression: '*/10 * * * * *' },
            { type: 'state' },
            { type: 'stream', streamName: 's' },
          ],
          enqueues: ['t'],
        },
        handler,
      },
    ]
    for (const m of mods) expect(validateStepModule('steps/x.step.ts', m).filter((p) => p.severity === 'error')).toEqual([])
  })

  it('says which accepted fields it does not act on; concurrency is an error until it is honoured', () => {
    const problems = validateStepModule('steps/x.step.ts', {
      config: {
        type: 'event',
        name: 'E',
        subscribes: ['t'],
        emits: [],
        includeFiles: ['a.txt'],
        infrastructure: { handler: { ram: 256, cpu: 1 }, queue: { concurrency: 2 } },
      },
      handler,
    })
    expect(problems.map((p) => [p.severity, p.field])).toEqual([
      ['warning', 'config.infrastructure.handler.ram'],
      ['warning', 'config.infrastructure.handler.cpu'],
      ['warning', 'config.includeFiles'],
      ['error', 'config.infrastructure.queue.concurrency'],
    ])
    const triggers = validateStepModule('steps/t.step.ts', {
      config: { name: 'T', triggers: [{ type: 'queue', topic: 't', config: { concurrency: 1 } }] },
      handler,
    })
    expect(triggers.map((p) => [p.severity, p.field])).toEqual([['error', 'config.triggers[0].config.concurrency']])
  })

  it('names the field, what was expected and what was found', () => {
    const problems = validateStepModule('steps/x.step.ts', {
      config: { type: 'event', name: 'E', subscribes: [], emits: [3], infrastructure: { handler: { timeout: 30 }, queue: { visibilityTimeout: 10 } } },
      handler,
    })
    expect(problems.map((p) => `${p.field}: ${p.message}`)).toEqual([
      'config.subscribes: expected at least 1 item, found an array of 0',
      'config.emits[0]: expected a topic string or { topic, label?, conditional? }, found 3',
      'config.infrastructure.queue.visibilityTimeout: expected queue.visibilityTimeout to be greater than handler.timeout, found 10',
    ])
  })

  it('reports an unknown trigger type and a missing handler', () => {
    const problems = validateStepModule('steps/x.step.ts', { config: { name: 'T', triggers: [{ type: 'webhook' }] } })
    expect(problems.map((p) => p.field)).toEqual(['config.triggers[0].type', 'handler'])
    expect(problems[0]?.message).toContain('found "webhook"')
  })

  it('reads `default.config` as Motia does', () => {
    expect(validateStepModule('s.step.ts', { default: { config: { type: 'cron', name: 'C', cron: '* * * * *', emits: [] }, handler } })).toEqual([])
  })
})

describe('cronProblem', () => {
  it('accepts 5 and 6 fields and rejects the rest', () => {
    expect(cronProblem('0 9 * * MON-FRI')).toBeUndefined()
    expect(cronProblem('*/10 * * * * *')).toBeUndefined()
    expect(cronProblem('* * *')).toMatch(/found 3 fields/)
    expect(cronProblem('0 25 * * *')).toMatch(/expected a valid cron expression/)
  })
})

describe('validateProject', () => {
  const model = (config: Parameters<typeof normalizeStep>[0], file: string) => normalizeStep(config, { file })
  it('treats /a/:id and /a/:x as the same route and warns about a topic nobody emits', () => {
    const problems = validateProject([
      model({ type: 'api', name: 'A', path: '/a/:id', method: 'GET', emits: [] }, 'a.step.ts'),
      model({ type: 'api', name: 'B', path: '/a/:x/', method: 'GET', emits: [] }, 'b.step.ts'),
      model({ type: 'event', name: 'C', subscribes: ['lonely'], emits: [] }, 'c.step.ts'),
      model({ type: 'noop', name: 'D', virtualEmits: ['seen'], virtualSubscribes: [] }, 'd.step.ts'),
      model({ type: 'event', name: 'E', subscribes: ['seen'], emits: [] }, 'e.step.ts'),
    ])
    expect(problems.map((p) => [p.severity, p.file, p.field])).toEqual([
      ['error', 'b.step.ts', 'config.path'],
      ['warning', 'c.step.ts', 'config.subscribes'],
    ])
  })
  it('reports a duplicate name also when the other file is too broken to normalise', () => {
    const a = model({ type: 'api', name: 'Same', path: '/a', method: 'GET', emits: [] }, 'a.step.ts')
    const problems = validateProject([a], [a, { name: 'Same', file: 'broken.step.ts' }])
    expect(problems).toEqual([
      { severity: 'error', file: 'broken.step.ts', field: 'config.name', message: 'expected a unique step name, found "Same" which a.step.ts also uses' },
    ])
  })
})

describe('paths without a leading slash', () => {
  it('are served with one, and the config check says so', () => {
    const classic = { type: 'api', name: 'N', path: 'noslash', method: 'GET', emits: [] }
    expect(validateStepModule('n.step.ts', { config: classic, handler })).toEqual([
      { severity: 'warning', file: 'n.step.ts', field: 'config.path', message: '"noslash" has no leading slash; it is served as "/noslash"' },
    ])
    const triggers = { name: 'T', triggers: [{ type: 'http', method: 'GET', path: 'orders/:id' }] }
    expect(validateStepModule('t.step.ts', { config: triggers, handler }).map((p) => [p.severity, p.field])).toEqual([['warning', 'config.triggers[0].path']])
    expect(normalizeStep(classic as Parameters<typeof normalizeStep>[0], { file: 'n.step.ts' }).triggers[0]).toMatchObject({ path: '/noslash' })
  })
})
