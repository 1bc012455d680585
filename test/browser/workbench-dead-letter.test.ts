/**
 * A failing step, fixed and redriven from the workbench (test/fixtures/workbench-app): the carrier
 * is marked down in the State view, a shipment sent from Endpoints dead-letters in BookCarrier, the
 * carrier is marked up again, the dead letter is redriven from the Queues view, and the trace
 * completes — while the Endpoints view in another tab follows the returned stream item live.
 */
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DevServer, REPO, startDev } from '../e2e/dev-server'
import { launchChromium } from './chromium'
import { json, type WorkbenchPage, workbenchPage } from './workbench-page'

const PORT = 8866
let dev: DevServer
let browser: Browser
let ops: WorkbenchPage
let follow: WorkbenchPage

beforeAll(async () => {
  dev = await startDev(join(REPO, 'test/fixtures/workbench-app'), PORT)
  browser = await launchChromium()
  ops = await workbenchPage(browser, dev.url)
  follow = await workbenchPage(browser, dev.url)
})
afterAll(async () => {
  await browser?.close()
  await dev?.stop()
})

async function setCarrier(page: WorkbenchPage['page'], value: string) {
  await page.getByTestId('state-edit').click()
  await page.locator('textarea[name="value"]').fill(value)
  await page.getByTestId('state-save').click()
}

describe('a dead letter fixed and redriven from the workbench', () => {
  it('goes from a failed step to a completed trace, and the followed stream item updates live', async () => {
    // 1. The carrier is down: an item added in the State view.
    await ops.open('#/state')
    await ops.page.getByTestId('state-add').click()
    const form = ops.page.getByTestId('state-add-form')
    await form.locator('input[name="group"]').fill('carrier')
    await form.locator('input[name="key"]').fill('status')
    await form.locator('textarea[name="new-value"]').fill('{"down": true}')
    await ops.page.getByTestId('state-add-save').click()
    await expect
      .poll(async () => (await json<{ items: unknown[] }>(`${dev.url}/__stepflare/state/carrier`)).items)
      .toEqual([{ key: 'status', value: { down: true } }])

    // 2. A shipment sent from Endpoints; its body is a stream item, which the view follows.
    const id = `ship-${Date.now()}`
    await follow.open('#/endpoints/CreateShipment')
    await follow.page.locator('input[name="body.id"]').fill(id)
    await follow.page.locator('input[name="body.weight"]').fill('5')
    await follow.page.getByTestId('send').click()
    await expect.poll(() => follow.page.getByTestId('response-status').textContent()).toContain('201')
    const item = follow.page.getByTestId('stream-item')
    await expect.poll(() => item.textContent()).toContain('"requested"')
    const traceHref = (await follow.page.getByTestId('response-trace').getAttribute('href')) as string
    const traceId = decodeURIComponent(traceHref.replace('#/traces/', ''))

    // 3. BookCarrier fails with no retries: its dead letter shows in the Queues view.
    await ops.open('#/queues')
    const card = ops.page.locator('[data-step="BookCarrier"][data-dead-letter]')
    await card.waitFor({ timeout: 20_000 })
    expect(await card.textContent()).toContain('carrier API unavailable')
    await card.getByRole('button', { name: 'Details' }).click()
    expect(await card.locator('.stack').textContent()).toContain('at Object.handler')
    // The stack points at the user's file, not into the dev bundle (mapped by `stepflare dev`).
    await expect.poll(() => card.locator('.stack').textContent()).toMatch(/steps\/book-carrier\.step\.ts:\d+:\d+/)
    await expect.poll(() => ops.page.locator('[data-queue="BookCarrier"] td').last().textContent()).toBe('1')
    await ops.shot('workbench-dead-letter')
    expect((await json<{ status: string }>(`${dev.url}/__stepflare/traces/${traceId}`)).status).toBe('failed')

    // 4. Fix the cause in the State view, then redrive from the Queues view.
    await ops.open('#/state/carrier')
    await ops.page.locator('[data-key="status"]').click()
    await setCarrier(ops.page, '{"down": false}')
    await expect.poll(() => ops.page.getByTestId('state-value').textContent()).toContain('false')
    await ops.open('#/queues')
    await ops.page.locator('[data-step="BookCarrier"][data-dead-letter]').getByTestId('redrive').click()
    await expect.poll(() => ops.page.locator('[data-dead-letter]').count(), { timeout: 10_000 }).toBe(0)

    // 5. The trace completes: the dead run, the redriven run and the next step, in one timeline.
    await ops.open(`#/traces/${traceId}`)
    await ops.page.locator('[data-testid="trace-detail"][data-status="completed"]').waitFor({ timeout: 20_000 })
    const runs = await ops.page.locator('[data-run]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-run')}:${e.getAttribute('data-run-status')}`))
    expect(runs).toEqual(['CreateShipment:completed', 'BookCarrier:dead', 'BookCarrier:completed', 'NotifyCustomer:completed'])
    expect(await ops.page.getByTestId('run-error').textContent()).toContain('carrier API unavailable')
    await ops.page.locator(`[data-trace="${traceId}"] [data-status="completed"]`).waitFor()
    await ops.shot('workbench-redriven-trace')

    // 6. Meanwhile the Endpoints tab followed the item to its last state, without a reload.
    await expect.poll(() => item.textContent(), { timeout: 10_000 }).toContain('"notified"')
    expect(await item.textContent()).toContain('"ACME"')
    expect(Number((await follow.page.getByTestId('stream-follow').textContent())?.match(/(\d+) updates/)?.[1])).toBeGreaterThanOrEqual(3)
    await follow.shot('workbench-stream-follow')
    expect([...ops.errors, ...follow.errors]).toEqual([])
  })

  it('draws the noop step, the virtual and the conditional edges', async () => {
    await ops.open('#/flows/shipping')
    await expect.poll(() => ops.page.locator('.react-flow__node').count()).toBe(5)
    expect(await ops.page.locator('[data-step="ManualReview"]').getAttribute('data-kind')).toBe('noop')
    await expect.poll(() => ops.page.locator('.react-flow__edge').count()).toBe(4)
    expect(await ops.page.locator('.edge-label.conditional').textContent()).toBe('over 30 kg')
    expect(await ops.page.locator('.edge-label.virtual').allTextContents()).toEqual(expect.arrayContaining(['approved']))
    await ops.shot('workbench-flows-virtual')
  })
})
