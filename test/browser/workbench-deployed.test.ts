/**
 * The workbench and the system routes in deployed mode: the generated Worker run by `wrangler dev`
 * directly, without `STEPFLARE_DEV`, with `STEPFLARE_SYSTEM_TOKEN` set as it would be by
 * `wrangler secret put`. Without the token `/__stepflare/` answers 404 like any unknown path; the
 * bearer header opens every route, `?token=` only the workbench page, once, which swaps it for a
 * signed, expiring session cookie; the page and its files carry a strict CSP.
 */
import { createHmac } from 'node:crypto'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REPO, type ServerProcess, spawnServer, tempDir } from '../e2e/dev-server'
import { generateFixture } from '../generate-fixture'
import { launchChromium, screenshotPath } from './chromium'

const PORT = 8867
const BASE = `http://127.0.0.1:${PORT}`
const TOKEN = `wb-${Math.random().toString(36).slice(2)}`
let wrangler: ServerProcess
let browser: Browser

beforeAll(async () => {
  const config = await generateFixture(join(REPO, 'test/fixtures/workbench-app'))
  wrangler = spawnServer(
    [
      join(REPO, 'node_modules', 'wrangler', 'bin', 'wrangler.js'),
      'dev',
      '--config',
      config,
      '--port',
      String(PORT),
      '--ip',
      '127.0.0.1',
      '--inspector-port',
      '0',
      '--persist-to',
      tempDir('sf-deployed-'),
      '--show-interactive-dev-session=false',
      '--var',
      `STEPFLARE_SYSTEM_TOKEN:${TOKEN}`,
    ],
    { cwd: REPO, env: { WRANGLER_SEND_METRICS: 'false' } },
  )
  const deadline = Date.now() + 90_000
  for (;;) {
    if (wrangler.child.exitCode !== null) throw new Error(`wrangler dev exited:\n${wrangler.output()}`)
    if (Date.now() > deadline) throw new Error(`wrangler dev not ready:\n${wrangler.output()}`)
    try {
      const r = await fetch(`${BASE}/__stepflare/health`, { headers: { authorization: `Bearer ${TOKEN}` } })
      if (r.ok) break
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await wrangler?.stop()
})

describe('the workbench in deployed mode', () => {
  it('answers 404 without the token, on the page, its files and its JSON routes', async () => {
    for (const path of ['/__stepflare/', '/__stepflare', '/__stepflare/manifest', '/__stepflare/logs', '/__stepflare/streams', '/__stepflare/traces']) {
      const r = await fetch(`${BASE}${path}`, { redirect: 'manual' })
      expect([path, r.status]).toEqual([path, 404])
      expect(await r.json()).toMatchObject({ error: 'Not Found' })
    }
    expect((await fetch(`${BASE}/__stepflare/?token=wrong`, { redirect: 'manual' })).status).toBe(404)
    expect((await fetch(`${BASE}/__stepflare/`, { headers: { cookie: 'stepflare_session=wrong' } })).status).toBe(404)
    // The raw token as a cookie (what earlier versions set) no longer opens anything.
    expect((await fetch(`${BASE}/__stepflare/`, { headers: { cookie: `stepflare_token=${TOKEN}` } })).status).toBe(404)
    // the app itself is unaffected
    const r = await fetch(`${BASE}/shipments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":"d1","weight":1}' })
    expect(r.status).toBe(201)
  })

  it('takes the bearer header on every route, in constant time, and ?token= on none but the workbench page', async () => {
    const bearer = { authorization: `Bearer ${TOKEN}` }
    expect((await fetch(`${BASE}/__stepflare/traces`, { headers: bearer })).status).toBe(200)
    expect((await fetch(`${BASE}/__stepflare/traces`, { headers: { authorization: `Bearer ${TOKEN}x` } })).status).toBe(404)
    expect((await fetch(`${BASE}/__stepflare/traces?token=${TOKEN}`)).status).toBe(404)
    const emit = await fetch(`${BASE}/__stepflare/emit?token=${TOKEN}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"topic":"shipment.created","data":{}}',
    })
    expect(emit.status).toBe(404)
    const viaBearer = await fetch(`${BASE}/__stepflare/emit`, {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: '{"topic":"nobody.listens","data":{}}',
    })
    expect(viaBearer.status).toBe(200)
  })

  it('swaps the token for a signed, expiring session cookie that never holds it, and serves the UI with it', async () => {
    const landing = await fetch(`${BASE}/__stepflare/?token=${TOKEN}`, { redirect: 'manual', headers: { cookie: 'stepflare_token=old' } })
    expect(landing.status).toBe(303)
    expect(landing.headers.get('location')).toBe('/__stepflare/')
    const cookies = (landing.headers as unknown as { getSetCookie(): string[] }).getSetCookie()
    const cookie = cookies.find((c) => c.startsWith('stepflare_session=')) ?? ''
    expect(cookie).not.toContain(TOKEN)
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Strict/i)
    expect(cookie).toMatch(/Path=\/__stepflare/i)
    expect(cookie).toMatch(/Max-Age=43200/)
    // The cookie of earlier versions, which held the raw token, is cleared.
    expect(cookies.find((c) => c.startsWith('stepflare_token='))).toMatch(/Max-Age=0/)
    const session = /stepflare_session=([^;]+)/.exec(cookie)?.[1] as string
    const [, exp, mac] = session.split('.')
    expect(Number(exp)).toBeGreaterThan(Date.now() + 11 * 3600_000)
    expect(mac).toBe(createHmac('sha256', TOKEN).update(`stepflare.session.v1.${exp}`).digest('base64url'))
    const jar = { cookie: `stepflare_session=${session}` }
    // A tampered or expired session is no session.
    expect((await fetch(`${BASE}/__stepflare/manifest`, { headers: { cookie: `stepflare_session=v1.${Number(exp) + 1}.${mac}` } })).status).toBe(404)
    const past = Date.now() - 1000
    const expired = `v1.${past}.${createHmac('sha256', TOKEN).update(`stepflare.session.v1.${past}`).digest('base64url')}`
    expect((await fetch(`${BASE}/__stepflare/manifest`, { headers: { cookie: `stepflare_session=${expired}` } })).status).toBe(404)
    // A write riding on the cookie must show it is not a cross-site form.
    expect((await fetch(`${BASE}/__stepflare/dlq/nope/redrive`, { method: 'POST', headers: jar })).status).toBe(403)
    expect((await fetch(`${BASE}/__stepflare/dlq/nope/redrive`, { method: 'POST', headers: { ...jar, 'x-stepflare-request': 'test' } })).status).toBe(404)
    const page = await fetch(`${BASE}/__stepflare/`, { headers: jar })
    expect(page.status).toBe(200)
    for (const [name, value] of [
      [
        'content-security-policy',
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
      ],
      ['x-content-type-options', 'nosniff'],
      ['referrer-policy', 'no-referrer'],
    ]) {
      expect([name, page.headers.get(name as string)]).toEqual([name, value])
    }
    const html = await page.text()
    const script = html.match(/src="(\/__stepflare\/assets\/[^"]+\.js)"/)?.[1]
    expect(script).toBeDefined()
    const js = await fetch(`${BASE}${script}`, { headers: jar })
    expect(js.status).toBe(200)
    expect(js.headers.get('content-type')).toContain('javascript')
    expect(js.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect((await fetch(`${BASE}/__stepflare/manifest`, { headers: jar })).status).toBe(200)
    expect((await fetch(`${BASE}/__stepflare/manifest`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200)
  })

  it('opens in a browser from the ?token= link, and not without it', async () => {
    const stranger = await browser.newPage()
    const denied = await stranger.goto(`${BASE}/__stepflare/`)
    expect(denied?.status()).toBe(404)
    await stranger.close()

    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    const violations: string[] = []
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text())
    })
    await page.goto(`${BASE}/__stepflare/?token=${TOKEN}#/flows/shipping`)
    expect(new URL(page.url()).search).toBe('')
    await expect.poll(() => page.locator('.react-flow__node').count(), { timeout: 15_000 }).toBe(5)
    await page.goto(`${BASE}/__stepflare/#/traces`)
    await page.locator('[data-trace]').first().click()
    await page.getByTestId('trace-detail').waitFor()
    await page.screenshot({ path: screenshotPath('workbench-deployed') })
    expect(violations).toEqual([])
  })
})
