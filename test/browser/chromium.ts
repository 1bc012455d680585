/**
 * Debian's Chromium driven by playwright-core, as root, on a machine with no outside network
 * (playwright gives each launch a fresh profile directory).
 */
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { type Browser, chromium } from 'playwright-core'
import { chromiumOptions } from './chromium-options.mjs'

export const SCREENSHOTS = resolve(import.meta.dirname, '../../test-results/screenshots')

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOTS, { recursive: true })
  return join(SCREENSHOTS, `${name}.png`)
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch(chromiumOptions())
}
