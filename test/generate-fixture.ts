/**
 * Generates `.stepflare/` for a fixture project the way `stepflare dev` does, for test runners
 * that need the generated Worker before they start (the workerd pool reads its wrangler config).
 */
import { resolve } from 'node:path'
import { generate } from '../cli/generate'
import { formatProblem } from '../cli/print'
import { hasErrors, loadProject } from '../cli/project'

export async function generateFixture(dir: string): Promise<string> {
  const project = await loadProject(resolve(dir))
  if (hasErrors(project.problems)) throw new Error(`fixture ${dir} is invalid:\n${project.problems.map(formatProblem).join('\n')}`)
  return (await generate(project)).configPath
}
