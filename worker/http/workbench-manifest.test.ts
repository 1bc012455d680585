import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { Runtime } from '../runtime'
import { jsonSchemaOf, workbenchManifest } from './workbench-manifest'

describe('the workbench manifest', () => {
  it('turns zod schemas into JSON Schema and keeps JSON Schema as it is', () => {
    expect(jsonSchemaOf(z.object({ id: z.string() }))).toMatchObject({ type: 'object', properties: { id: { type: 'string' } }, required: ['id'] })
    expect(jsonSchemaOf({ type: 'number' })).toEqual({ type: 'number' })
    expect(jsonSchemaOf(undefined)).toBeUndefined()
  })

  it('lists every step with its triggers, emits and schemas, and the streams', () => {
    const rt = new Runtime({
      steps: [
        {
          file: 'steps/a.step.ts',
          module: {
            config: { type: 'api', name: 'A', path: '/a', method: 'POST', emits: ['t'], bodySchema: z.object({ n: z.number() }), flows: ['f'] },
            handler: () => ({ status: 200, body: {} }),
          },
        },
        { file: 'steps/b.step.ts', module: { config: { type: 'event', name: 'B', subscribes: ['t'], emits: [], flows: ['f'] }, handler: () => {} } },
      ],
      streams: [{ file: 'steps/s.stream.ts', module: { config: { name: 'board', schema: z.object({ x: z.number() }) } } }],
    })
    const m = workbenchManifest(rt)
    expect(m.steps.map((s) => [s.name, s.kind, s.file])).toEqual([
      ['A', 'api', 'steps/a.step.ts'],
      ['B', 'event', 'steps/b.step.ts'],
    ])
    expect(m.steps[0]?.triggers[0]).toMatchObject({ type: 'http', method: 'POST', path: '/a', middleware: 0, bodySchema: { type: 'object' } })
    expect(m.steps[1]?.triggers[0]).toMatchObject({ type: 'queue', topic: 't' })
    expect(m.streams).toEqual([{ name: 'board', schema: expect.objectContaining({ type: 'object' }) }])
    expect(JSON.parse(JSON.stringify(m))).toEqual(m)
    expect(workbenchManifest(rt)).toBe(m)
  })
})
