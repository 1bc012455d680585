/**
 * The TypeScript half of `stepflare/testing/vitest`: load, validate and generate the project the
 * way `stepflare dev` does, for a test runner that needs `.stepflare/wrangler.json` before it starts.
 * @module
 */
import { resolve } from 'node:path'
import { MOTIA_PLUGIN_STUB, SDK_ENTRY } from '../../cli/bundle-modules'
import { generate } from '../../cli/generate'
import { formatProblem } from '../../cli/print'
import { hasErrors, loadProject } from '../../cli/project'
import { motiaImports } from '../../cli/wrangler-config'

export async function prepareForTests(root: string): Promise<{ configPath: string; alias: Record<string, string> }> {
  const project = await loadProject(resolve(root))
  if (hasErrors(project.problems)) {
    throw new Error(`the project has configuration errors; fix them and run the tests again:\n${project.problems.map(formatProblem).join('\n')}`)
  }
  const { configPath } = await generate(project)
  const alias: Record<string, string> = { motia: SDK_ENTRY, '@motiadev/core': SDK_ENTRY }
  // Motia's workbench plugins, imported by a kept motia.config.ts, mean nothing here.
  for (const m of motiaImports(project.root, project.configFile)) alias[m] ??= MOTIA_PLUGIN_STUB
  return { configPath, alias }
}
