import { fileURLToPath } from 'node:url'
import { cloudflareTest } from '@cloudflare/vitest-pool-workers'
import { defineConfig } from 'vitest/config'
import { generateFixture } from './test/generate-fixture'

const sdk = fileURLToPath(new URL('./sdk/index.ts', import.meta.url))

export default defineConfig(async () => {
  const appConfig = await generateFixture('test/fixtures/app')
  return {
    test: {
      // In CI, also a JSON report that .ci/run turns into its closing "N passed, N failed" line.
      reporters: process.env.CI ? ['default', ['json', { outputFile: `test-results/vitest-${process.env.VITEST_REPORT ?? 'all'}.json` }]] : ['default'],
      projects: [
        {
          test: {
            name: 'unit',
            include: ['sdk/**/*.test.{ts,tsx}', 'cli/**/*.test.ts', 'objects/**/*.test.ts', 'worker/**/*.test.ts'],
            environment: 'node',
          },
        },
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: appConfig },
              miniflare: { bindings: { STEPFLARE_DEV: '1' } },
            }),
          ],
          resolve: { alias: { motia: sdk, stepflare: sdk } },
          test: { name: 'workers', include: ['test/workers/**/*.test.ts'], testTimeout: 30_000 },
        },
        {
          test: {
            name: 'e2e',
            include: ['test/e2e/**/*.test.ts', 'test/browser/**/*.test.ts'],
            environment: 'node',
            testTimeout: 180_000,
            hookTimeout: 180_000,
            fileParallelism: false,
          },
        },
      ],
    },
  }
})
