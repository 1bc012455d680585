import { cloudflareTest } from '@cloudflare/vitest-pool-workers'
import { prepareStepflare } from 'stepflare/testing/vitest'
import { defineConfig } from 'vitest/config'

// The tests run inside workerd, against the Worker `stepflare dev` runs: prepareStepflare()
// validates the steps and generates .stepflare/ first.
export default defineConfig(async () => {
  const { configPath, alias } = await prepareStepflare()
  return {
    plugins: [cloudflareTest({ wrangler: { configPath }, miniflare: { bindings: { STEPFLARE_DEV: '1' } } })],
    resolve: { alias },
    test: { include: ['test/**/*.test.ts'], testTimeout: 30_000 },
  }
})
