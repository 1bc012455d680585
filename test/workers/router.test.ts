import type { SmartRouter } from 'hono/router/smart-router'
import { describe, expect, it } from 'vitest'
import type { StepflareEnv } from '../../worker/env'
import { createRouter } from '../../worker/http/router'
import { Runtime } from '../../worker/runtime'

describe('createRouter', () => {
  it('keeps the app on Hono’s RegExpRouter: no system route forces the slower TrieRouter on every request', async () => {
    const rt = new Runtime({
      steps: [
        {
          file: 'steps/orders.step.ts',
          module: {
            config: { type: 'api', name: 'GetOrder', path: '/orders/:id', method: 'GET', emits: [] },
            handler: async () => ({ status: 200, body: {} }),
          },
        },
      ],
    })
    const { plain, layered } = createRouter(rt)
    for (const app of [plain, layered]) {
      // SmartRouter picks its router on the first match.
      const res = await app.request('/nothing-here', {}, {} as StepflareEnv)
      expect(res.status).toBe(404)
      expect((app.router as SmartRouter<unknown>).activeRouter.name).toBe('RegExpRouter')
    }
  })

  it('sends only requests with a body, or under CORS, through the middleware app', async () => {
    const rt = new Runtime({ steps: [], config: { api: { bodyLimit: 4 } } })
    const router = createRouter(rt)
    const isMiddleware = (r: { path: string; method: string }) => r.path === '/*' && r.method === 'ALL'
    expect(router.plain.routes.some(isMiddleware)).toBe(false)
    expect(router.layered.routes.some(isMiddleware)).toBe(true)
    const env = { STEPFLARE_DEV: '1' } as StepflareEnv
    const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext
    const plain = await router.fetch(new Request('http://x/nothing'), env, ctx)
    expect(plain.headers.get('access-control-allow-origin')).toBeNull()
    const browser = await router.fetch(new Request('http://x/nothing', { headers: { origin: 'http://app.test' } }), env, ctx)
    expect(browser.headers.get('access-control-allow-origin')).toBe('http://app.test')
    const tooLarge = await router.fetch(new Request('http://x/nothing', { method: 'POST', body: 'too large' }), env, ctx)
    expect(tooLarge.status).toBe(413)
  })
})
