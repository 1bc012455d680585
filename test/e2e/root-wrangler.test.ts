/**
 * Plain wrangler at the repository root (the design's layout): `wrangler deploy --dry-run` bundles
 * the demo through the root wrangler.toml's custom build, and `wrangler dev` serves it.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPO, spawnServer, tempDir } from './dev-server'

const WRANGLER = join(REPO, 'node_modules/wrangler/bin/wrangler.js')

describe('plain wrangler at the repository root', () => {
  it('bundles the demo with wrangler deploy --dry-run', async () => {
    const out = tempDir('sf-root-dist-')
    const run = spawnServer([WRANGLER, 'deploy', '--dry-run', '--outdir', out], { cwd: REPO, env: { WRANGLER_SEND_METRICS: 'false' } })
    await new Promise((r) => run.child.once('exit', r))
    expect(run.child.exitCode, run.output()).toBe(0)
    expect(existsSync(join(out, 'entry.js'))).toBe(true)
    expect(run.output()).toContain('env.STEPFLARE_TRACE (TraceObject)')
  })

  it('serves the demo with wrangler dev', async () => {
    const port = 8898
    const dev = spawnServer(
      [WRANGLER, 'dev', '--port', String(port), '--ip', '127.0.0.1', '--persist-to', tempDir('sf-root-dev-'), '--show-interactive-dev-session=false'],
      {
        cwd: REPO,
        env: { WRANGLER_SEND_METRICS: 'false' },
      },
    )
    try {
      const deadline = Date.now() + 90_000
      let up = false
      while (!up && Date.now() < deadline) {
        if (dev.child.exitCode !== null) throw new Error(dev.output())
        up = await fetch(`http://127.0.0.1:${port}/stats`).then(
          (r) => r.ok,
          () => false,
        )
        if (!up) await new Promise((r) => setTimeout(r, 200))
      }
      expect(up).toBe(true)
      const r = await fetch(`http://127.0.0.1:${port}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"id":"root-1","amount":3}',
      })
      expect(r.status).toBe(201)
      let order: { status?: string } = {}
      for (let i = 0; i < 100 && order.status !== 'fulfilled'; i++) {
        await new Promise((res) => setTimeout(res, 100))
        order = (await (await fetch(`http://127.0.0.1:${port}/orders/root-1`)).json()) as { status?: string }
      }
      expect(order.status).toBe('fulfilled')
    } finally {
      await dev.stop()
    }
  })
})
