/**
 * `stepflare/testing/vitest`: what a project's vitest.config.ts needs to run its tests inside
 * workerd. Plain JavaScript, because vitest loads its config with Node, which does not import
 * TypeScript from node_modules; the TypeScript half runs through tsx, as the CLI does.
 *
 * @example
 * ```ts
 * import { cloudflareTest } from '@cloudflare/vitest-pool-workers'
 * import { prepareStepflare } from 'stepflare/testing/vitest'
 * import { defineConfig } from 'vitest/config'
 *
 * export default defineConfig(async () => {
 *   const { configPath, alias } = await prepareStepflare()
 *   return {
 *     plugins: [cloudflareTest({ wrangler: { configPath }, miniflare: { bindings: { STEPFLARE_DEV: '1' } } })],
 *     resolve: { alias },
 *   }
 * })
 * ```
 * @module
 */
import { tsImport } from 'tsx/esm/api'

/**
 * Validates the project at `root` (default: the working directory), generates `.stepflare/`
 * (Worker entry, wrangler configuration, types) and returns the configuration's path and the
 * module aliases step files need (`motia` and Motia's packages resolve to stepflare).
 * @param {string} [root]
 * @returns {Promise<{ configPath: string, alias: Record<string, string> }>}
 */
export async function prepareStepflare(root = process.cwd()) {
  const mod = await tsImport('./prepare-for-tests.ts', import.meta.url)
  return mod.prepareForTests(root)
}
