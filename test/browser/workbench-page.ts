/**
 * Shared by the workbench's browser tests: a page sized like a laptop screen that records the
 * page's uncaught errors and anything its Content-Security-Policy blocked, and a screenshot helper.
 */
import type { Browser, Page } from 'playwright-core'
import { screenshotPath } from './chromium'

export interface WorkbenchPage {
  page: Page
  errors: string[]
  /** Navigates to a view of the workbench, e.g. `#/flows/orders`. */
  open(hash: string): Promise<void>
  shot(name: string): Promise<void>
}

export async function workbenchPage(browser: Browser, base: string): Promise<WorkbenchPage> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) errors.push(m.text())
  })
  page.on('dialog', (d) => d.accept())
  return {
    page,
    errors,
    async open(hash) {
      await page.goto(`${base}/__stepflare/${hash}`)
      await page.locator('.sidebar').waitFor()
    },
    async shot(name) {
      await page.waitForTimeout(300)
      await page.screenshot({ path: screenshotPath(name) })
    },
  }
}

export async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const r = await fetch(url, init)
  if (!r.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: ${r.status} ${await r.text()}`)
  return (await r.json()) as T
}
