/**
 * The workbench in headless Chromium against `stepflare dev` on the demo: the flow graph, a request
 * from the Endpoints view followed into its trace, the State view editing what the chain wrote, a
 * cron step run from the UI, a stream group updating live, and the log feed.
 */
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DevServer, REPO, startDev } from '../e2e/dev-server'
import { launchChromium } from './chromium'
import { json, type WorkbenchPage, workbenchPage } from './workbench-page'

const PORT = 8865
let dev: DevServer
let browser: Browser
let wb: WorkbenchPage

interface ManifestStep {
  name: string
  kind: string
  file: string
  flows: string[]
  emits: { topic: string }[]
  virtualEmits: { topic: string }[]
  virtualSubscribes: string[]
  triggers: { type: string; topic?: string }[]
}

beforeAll(async () => {
  dev = await startDev(join(REPO, 'examples/demo'), PORT)
  browser = await launchChromium()
  wb = await workbenchPage(browser, dev.url)
})
afterAll(async () => {
  await browser?.close()
  await dev?.stop()
})

async function placeOrder(id: string, amount: number): Promise<string> {
  const r = await fetch(`${dev.url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id, amount }) })
  expect(r.status).toBe(201)
  return r.headers.get('x-trace-id') as string
}

describe('the workbench on the demo', () => {
  it('draws every step and every edge of the flow, with node details and a Mermaid export', async () => {
    const { steps } = await json<{ steps: ManifestStep[] }>(`${dev.url}/__stepflare/manifest`)
    const inFlow = steps.filter((s) => s.flows.includes('orders'))
    const edges = inFlow.flatMap((from) =>
      [...from.emits, ...from.virtualEmits].flatMap((e) =>
        inFlow
          .filter((to) => to.triggers.some((t) => t.type === 'queue' && t.topic === e.topic) || to.virtualSubscribes.includes(e.topic))
          .map((to) => ({ from: from.name, to: to.name, topic: e.topic })),
      ),
    )
    expect(inFlow.length).toBe(8)
    expect(edges).toHaveLength(2)

    await wb.open('#/flows/orders')
    const page = wb.page
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(inFlow.length)
    for (const s of inFlow) {
      const node = page.locator(`[data-step="${s.name}"]`)
      await expect.poll(() => node.isVisible()).toBe(true)
      expect(await node.getAttribute('data-kind')).toBe(s.kind)
    }
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(edges.length)
    for (const e of edges) {
      expect(await page.locator(`.react-flow__edge[data-id="${e.from}->${e.to}:${e.topic}"]`).count()).toBe(1)
      await expect.poll(() => page.locator(`[data-edge-label="${e.topic}"]`).isVisible()).toBe(true)
    }
    // API green, event blue, cron orange
    const stripe = (name: string) => page.locator(`[data-step="${name}"] .step-node-stripe`).getAttribute('style')
    expect(await stripe('CreateOrder')).toContain('rgb(34, 197, 94)')
    expect(await stripe('ChargePayment')).toContain('rgb(59, 130, 246)')
    expect(await stripe('OrdersReport')).toContain('rgb(245, 158, 11)')
    await wb.shot('workbench-flows')

    await page.locator('[data-step="CreateOrder"]').click()
    const details = page.getByTestId('node-details')
    await details.waitFor()
    expect(await details.textContent()).toContain('steps/create-order.step.ts')
    expect(await details.textContent()).toContain('bodySchema')
    await wb.shot('workbench-flows-node-details')

    await page.getByRole('button', { name: 'Export Mermaid' }).click()
    const mermaid = await page.locator('.mermaid-text').inputValue()
    expect(mermaid).toContain('CreateOrder -->|order.created| ChargePayment')
    expect(mermaid).toContain('ChargePayment -->|order.paid| FulfilOrder')
    await page.keyboard.press('Escape')
  })

  it('sends a request from Endpoints and shows its trace with every step run', async () => {
    const page = wb.page
    const id = `wb-${Date.now()}`
    await wb.open('#/endpoints/CreateOrder')
    await page.locator('input[name="body.id"]').fill(id)
    await page.locator('input[name="body.amount"]').fill('42')
    await page.getByTestId('send').click()
    await expect.poll(() => page.getByTestId('response-status').textContent()).toContain('201')
    expect(await page.getByTestId('response').textContent()).toContain(id)
    await wb.shot('workbench-endpoint-response')

    await page.getByTestId('response-trace').click()
    const detail = page.locator('[data-testid="trace-detail"][data-status="completed"]')
    await detail.waitFor({ timeout: 20_000 })
    for (const step of ['CreateOrder', 'ChargePayment', 'FulfilOrder']) {
      expect(await page.locator(`[data-run="${step}"]`).getAttribute('data-run-status')).toBe('completed')
    }
    await page.locator('[data-run="ChargePayment"]').click()
    expect(await page.getByTestId('run-details').textContent()).toContain('order.paid')
    await wb.shot('workbench-trace')
  })

  it('shows, edits, adds and deletes state', async () => {
    const page = wb.page
    const id = `st-${Date.now()}`
    const traceId = await placeOrder(id, 7)
    await expect.poll(async () => (await json<{ status: string }>(`${dev.url}/orders/${id}`)).status, { timeout: 15_000 }).toBe('fulfilled')

    await wb.open('#/state/orders')
    await page.locator(`[data-key="${id}"]`).click()
    const value = page.getByTestId('state-value')
    await expect.poll(() => value.textContent()).toContain('"fulfilled"')
    await page.getByTestId('state-edit').click()
    await page.locator('textarea[name="value"]').fill(JSON.stringify({ id, amount: 7, status: 'refunded' }, null, 2))
    await page.getByTestId('state-save').click()
    // The editor closes once the PUT has been answered; until then the panel's text is the editor's.
    await expect.poll(() => page.locator('textarea[name="value"]').count()).toBe(0)
    await expect.poll(() => value.textContent()).toContain('"refunded"')
    expect((await json<{ status: string }>(`${dev.url}/orders/${id}`)).status).toBe('refunded')
    await wb.shot('workbench-state')

    await page.getByTestId('state-add').click()
    await page.locator('[data-testid="state-add-form"] input[name="group"]').fill('notes')
    await page.locator('[data-testid="state-add-form"] input[name="key"]').fill(traceId)
    await page.locator('textarea[name="new-value"]').fill('{"note": "checked by hand"}')
    await page.getByTestId('state-add-save').click()
    await expect
      .poll(async () => (await json<{ items: { key: string; value: unknown }[] }>(`${dev.url}/__stepflare/state/notes`)).items)
      .toContainEqual({ key: traceId, value: { note: 'checked by hand' } })
    await page.locator(`[data-key="${traceId}"]`).click()
    await page.getByTestId('state-delete').click()
    await expect
      .poll(async () => (await json<{ items: { key: string }[] }>(`${dev.url}/__stepflare/state/notes`)).items.map((i) => i.key))
      .not.toContain(traceId)
  })

  it('runs a cron step from the Cron view', async () => {
    const page = wb.page
    await wb.open('#/cron')
    const row = page.locator('[data-cron="OrdersReport"]')
    await row.getByTestId('run-now').click()
    const result = row.getByTestId('run-result')
    await expect.poll(() => result.textContent(), { timeout: 15_000 }).toContain('completed')
    await expect.poll(() => row.getByTestId('last-run').textContent()).toContain('completed')
    await wb.shot('workbench-cron')
    const { items } = await json<{ items: { key: string; value: { fulfilled: number } }[] }>(`${dev.url}/__stepflare/state/reports`)
    expect(items.find((i) => i.key === 'latest')?.value.fulfilled).toBeGreaterThan(0)
    await result.locator('a').click()
    await page.locator('[data-testid="trace-detail"][data-status="completed"]').waitFor()
    expect(await page.locator('[data-run="OrdersReport"]').getAttribute('data-run-status')).toBe('completed')
  })

  it('updates a stream group live as the chain runs', async () => {
    const page = wb.page
    await wb.open('#/streams/orders/board')
    await page.getByTestId('live-group').waitFor()
    await expect.poll(() => page.getByTestId('live-group').textContent()).toMatch(/\d+ items/)
    const id = `live-${Date.now()}`
    await placeOrder(id, 99)
    const status = page.locator(`tr[data-item="${id}"] td[data-field="status"]`)
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toBe('fulfilled')
    // the item arrived as a create and changed by updates, with no reload of the page
    const changes = await page.locator('.change').filter({ hasText: id }).allTextContents()
    expect(changes.some((c) => c.includes('create'))).toBe(true)
    expect(changes.some((c) => c.includes('update'))).toBe(true)
    await wb.shot('workbench-streams')
  })

  it('shows the log feed, linked to the traces', async () => {
    const page = wb.page
    const id = `log-${Date.now()}`
    const traceId = await placeOrder(id, 3)
    await wb.open('#/logs')
    const row = page.locator('.log-row').filter({ hasText: traceId }).filter({ hasText: 'order fulfilled' })
    await row.waitFor({ timeout: 15_000 })
    await wb.shot('workbench-logs')
    await row.locator('a.trace-link').click()
    await page.locator(`[data-testid="trace-detail"]`).waitFor()
    expect(page.url()).toContain(`#/traces/${traceId}`)
    expect(wb.errors).toEqual([])
  })
})
