// How Chromium is launched, for the browser tests (chromium.ts) and bench/workbench.mjs: as root,
// headless, on a machine with no outside network. `npm test` makes sure there is one
// (ensure-chromium.mjs).
import { findChromium } from './find-chromium.mjs'

export function chromiumOptions() {
  return {
    executablePath: findChromium() ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  }
}
