import type { LaunchOptions } from 'playwright-core'

export function chromiumOptions(): LaunchOptions & { executablePath: string; headless: true; args: string[] }
