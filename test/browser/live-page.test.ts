import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DevServer, REPO, startDev } from '../e2e/dev-server'
import { launchChromium, screenshotPath } from './chromium'

const PORT = 8797
let dev: DevServer
let browser: Browser

beforeAll(async () => {
  dev = await startDev(join(REPO, 'examples/demo'), PORT)
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
  await dev?.stop()
})

describe('the demo live page in Chromium', () => {
  it('shows an order move through created → paid → fulfilled as the steps run', async () => {
    const page = await browser.newPage()
    await page.goto(`http://localhost:${PORT}/live`)
    await page.getByText('live', { exact: true }).waitFor()
    const id = `live-${Date.now()}`
    // an order placed from outside the page appears and updates by itself
    await fetch(`${dev.url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id, amount: 21 }) })
    const status = page.locator(`tr[data-id="${id}"] td:nth-child(3)`)
    await status.waitFor()
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toBe('fulfilled')
    // and one placed from the page's own form
    await page.fill('input[name=id]', `${id}-form`)
    await page.click('button')
    await expect.poll(() => page.locator(`tr[data-id="${id}-form"] td:nth-child(3)`).textContent(), { timeout: 15_000 }).toBe('fulfilled')
    await page.screenshot({ path: screenshotPath('demo-live-page'), fullPage: true })
  })
})
