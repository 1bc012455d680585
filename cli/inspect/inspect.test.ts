import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { normalizeStep } from '../../sdk/config/normalize'
import type { StepConfig } from '../../sdk/types'
import { PACKAGE_ROOT } from '../bundle-modules'
import { portFree, runChecks } from './doctor'
import { listFlows, NO_FLOW, toMermaid } from './flows'
import { openApiPath } from './load'
import { buildOpenApi, hoistSchema } from './openapi'
import { listRoutes } from './routes'

const step = (config: StepConfig) => normalizeStep(config, { file: `steps/${config.name}.step.ts` })

const steps = [
  step({
    type: 'api',
    name: 'Create',
    path: '/shops/:shop/orders',
    method: 'POST',
    emits: ['order.created'],
    flows: ['orders'],
    description: 'Creates an order',
    bodySchema: z.object({ id: z.string() }),
    responseSchema: { 201: z.object({ id: z.string() }) },
    queryParams: [{ name: 'dry', description: 'validate only' }],
  }),
  step({ type: 'api', name: 'Get', path: '/orders/:id', method: 'GET', emits: [], flows: ['orders'] }),
  step({ type: 'event', name: 'Charge', subscribes: ['order.created'], emits: [], flows: ['orders'] }),
  step({ type: 'noop', name: 'Person', virtualEmits: ['order.created'], virtualSubscribes: [], flows: ['orders'] }),
  step({ type: 'cron', name: 'Tick', cron: '* * * * *', emits: [] }),
]

describe('routes', () => {
  it('lists every HTTP route sorted by path, with what its schemas declare', () => {
    expect(listRoutes(steps).map((r) => [r.method, r.path, r.step, r.body, r.responses, r.queryParams])).toEqual([
      ['GET', '/orders/:id', 'Get', false, [], []],
      ['POST', '/shops/:shop/orders', 'Create', true, ['201'], ['dry']],
    ])
  })
})

describe('flows', () => {
  const flows = listFlows(steps)
  it('groups steps by flow, with real and virtual edges', () => {
    expect(flows.map((f) => f.name)).toEqual(['orders', NO_FLOW])
    expect(flows[0]?.edges).toEqual([
      { from: 'Create', to: 'Charge', topic: 'order.created', virtual: false },
      { from: 'Person', to: 'Charge', topic: 'order.created', virtual: true },
    ])
    expect(flows[1]?.steps.map((s) => s.name)).toEqual(['Tick'])
  })
  it('draws Mermaid with dashed virtual edges and a class per kind', () => {
    const m = toMermaid(flows[0]!)
    expect(m).toContain('flowchart LR')
    expect(m).toContain('s_Create -->|order.created| s_Charge')
    expect(m).toContain('s_Person -.->|order.created| s_Charge')
    expect(m).toContain(':::api')
    expect(m).toContain(':::noop')
  })
})

describe('openapi', () => {
  it('turns paths into templates', () => {
    expect(openApiPath('/a/:id/b/:x{[0-9]+}')).toBe('/a/{id}/b/{x}')
  })

  it('builds a 3.1 document from the API steps', () => {
    // biome-ignore lint/suspicious/noExplicitAny: the test walks the JSON document freely
    const doc = buildOpenApi(steps, { title: 'shop', version: '2.0.0', server: 'https://shop.example' }) as Record<string, any>
    expect(doc.openapi).toBe('3.1.0')
    expect(doc.info).toEqual({ title: 'shop', version: '2.0.0' })
    expect(doc.servers).toEqual([{ url: 'https://shop.example' }])
    expect(Object.keys(doc.paths)).toEqual(['/orders/{id}', '/shops/{shop}/orders'])
    const post = doc.paths['/shops/{shop}/orders'].post
    expect(post.operationId).toBe('Create')
    expect(post.tags).toEqual(['orders'])
    expect(post.parameters).toEqual([
      { name: 'shop', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'dry', in: 'query', required: false, schema: { type: 'string' }, description: 'validate only' },
    ])
    expect(post.requestBody.content['application/json'].schema).toMatchObject({ type: 'object', required: ['id'] })
    expect(post.requestBody.content['application/json'].schema.$schema).toBeUndefined()
    expect(post.responses['201'].content['application/json'].schema).toMatchObject({ properties: { id: { type: 'string' } } })
    expect(post.responses['400']).toBeDefined()
    expect(doc.paths['/orders/{id}'].get.responses.default).toBeDefined()
  })

  it('moves $defs to components and rewrites the references, a self-reference included', () => {
    const components: Record<string, unknown> = {}
    const s = hoistSchema(
      { type: 'object', properties: { a: { $ref: '#/$defs/__schema0' } }, $defs: { __schema0: { type: 'array', items: { $ref: '#/$defs/__schema0' } } } },
      'Body',
      components,
    )
    expect(s).toEqual({ type: 'object', properties: { a: { $ref: '#/components/schemas/Bodyschema0' } } })
    expect(components).toEqual({ Bodyschema0: { type: 'array', items: { $ref: '#/components/schemas/Bodyschema0' } } })
    const self: Record<string, unknown> = {}
    expect(hoistSchema({ type: 'object', properties: { kids: { type: 'array', items: { $ref: '#' } } } }, 'Cat', self)).toEqual({
      $ref: '#/components/schemas/Cat',
    })
    expect(self.Cat).toEqual({ type: 'object', properties: { kids: { type: 'array', items: { $ref: '#/components/schemas/Cat' } } } })
  })
})

describe('doctor', () => {
  it('reports a port in use', async () => {
    const server = createServer()
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
    const port = (server.address() as { port: number }).port
    expect(await portFree(port)).toBe(false)
    await new Promise((r) => server.close(r))
    expect(await portFree(port)).toBe(true)
  })

  it('checks the demo: versions, config, port', async () => {
    const checks = await runChecks(join(PACKAGE_ROOT, 'examples', 'demo'), 0)
    expect(checks.map((c) => c.name)).toEqual(['stepflare', 'node', 'wrangler', 'files', 'config', 'port'])
    expect(checks.every((c) => c.status === 'ok')).toBe(true)
    expect(checks.find((c) => c.name === 'config')?.detail).toMatch(/step\(s\)/)
  })

  it('fails on configuration errors and names them', async () => {
    const root = mkdtempSync(join(tmpdir(), 'sf-doctor-'))
    mkdirSync(join(root, 'steps'))
    writeFileSync(
      join(root, 'steps', 'bad.step.ts'),
      "export const config = { type: 'api', name: 'Bad', path: '/b', method: 'FETCH', emits: [] }\nexport const handler = async () => ({ status: 200, body: {} })\n",
    )
    const config = (await runChecks(root, 0)).find((c) => c.name === 'config')
    rmSync(root, { recursive: true, force: true })
    expect(config?.status).toBe('error')
    expect(config?.detail).toMatch(/steps\/bad\.step\.ts.*config\.method/)
    expect(config?.hint).toMatch(/Fix the errors/)
  })
})
