/**
 * The open workbench follows `stepflare dev`'s reloads: a step added to the project appears in its
 * flow without reloading the page, and while a change does not load a banner says the last good
 * version keeps running — gone once the change is fixed.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DevServer, REPO, startDev } from '../e2e/dev-server'
import { launchChromium } from './chromium'
import { type WorkbenchPage, workbenchPage } from './workbench-page'

const PORT = 8890
let root: string
let dev: DevServer
let browser: Browser
let wb: WorkbenchPage

beforeAll(async () => {
  mkdirSync(join(REPO, 'test/.tmp'), { recursive: true })
  root = mkdtempSync(join(REPO, 'test/.tmp/wb-reload-'))
  cpSync(join(REPO, 'examples/demo'), root, { recursive: true, filter: (src) => !/[/\\](\.stepflare|\.wrangler)([/\\]|$)/.test(src) })
  dev = await startDev(root, PORT)
  browser = await launchChromium()
  wb = await workbenchPage(browser, dev.url)
})

afterAll(async () => {
  await browser?.close()
  await dev?.stop()
  rmSync(root, { recursive: true, force: true })
})

const AUDIT = `import type { EventConfig, Handlers } from 'stepflare'
export const config: EventConfig = { type: 'event', name: 'AuditOrder', subscribes: ['order.fulfilled'], emits: [], flows: ['orders'] }
export const handler = async () => {}
`

describe('the workbench follows reloads', () => {
  it('shows a new step without a page reload, and a banner while a change does not load', async () => {
    await wb.open('#/flows/orders')
    await wb.page.locator('[data-step="CreateOrder"]').waitFor()
    expect(await wb.page.locator('[data-step="AuditOrder"]').count()).toBe(0)

    writeFileSync(join(root, 'steps/audit-order.step.ts'), AUDIT)
    await wb.page.locator('[data-step="AuditOrder"]').waitFor({ timeout: 15_000 })

    writeFileSync(join(root, 'steps/audit-order.step.ts'), AUDIT.replace('emits: []', "emits: 'x'"))
    const banner = wb.page.getByTestId('stale-banner')
    await banner.waitFor({ timeout: 15_000 })
    expect(await banner.textContent()).toContain('steps/audit-order.step.ts')
    await wb.shot('workbench-stale-banner')

    writeFileSync(join(root, 'steps/audit-order.step.ts'), AUDIT)
    await banner.waitFor({ state: 'detached', timeout: 15_000 })
    expect(wb.errors).toEqual([])
  })
})
