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
    const app = createRouter(rt)
    // SmartRouter picks its router on the first match.
    const res = await app.request('/nothing-here', {}, {} as StepflareEnv)
    expect(res.status).toBe(404)
    expect((app.router as SmartRouter<unknown>).activeRouter.name).toBe('RegExpRouter')
  })
})
