import { describe, expect, it } from 'vitest'
import { buildWranglerConfig, KEEP_NAMES } from './wrangler-config'

const inferred = { steps: [], project: {}, motiaModules: [] }

describe('generated wrangler configuration', () => {
  it('bundles without keep_names unless the project sets it', () => {
    expect(KEEP_NAMES).toBe(false)
    expect(buildWranglerConfig('/p/app', '/p/app/.stepflare', { config: {} }, inferred).keep_names).toBe(false)
    expect(buildWranglerConfig('/p/app', '/p/app/.stepflare', { config: { keep_names: true } }, inferred).keep_names).toBe(true)
  })

  it("keeps the project's settings and adds stepflare's bindings, queues, flags and alias", () => {
    const config = buildWranglerConfig('/p/app', '/p/app/.stepflare', { config: { name: 'My App', compatibility_flags: ['nodejs_compat'] } }, inferred)
    expect(config).toMatchObject({ name: 'my-app', main: './entry.ts', compatibility_flags: ['nodejs_compat'] })
    expect(config.alias).toMatchObject({ motia: expect.any(String), stepflare: expect.any(String) })
    expect(config.queues.producers).toEqual([{ binding: 'STEPFLARE_QUEUE', queue: 'my-app-events' }])
    expect(config.durable_objects.bindings).toContainEqual({ name: 'STEPFLARE_INDEX', class_name: 'IndexObject' })
  })
})
