/**
 * The first half of `dev`, `build` and `deploy`: load and validate the project, print its
 * problems, and generate `.stepflare/` when it is valid.
 * @module
 */

import { ConfigInvalidError } from './errors'
import { type Generated, generate } from './generate'
import { printProblems } from './print'
import { hasErrors, loadProject, type Project } from './project'
import { syncSecretFiles } from './secrets'

export async function prepare(root: string): Promise<{ project: Project; generated: Generated }> {
  const project = await loadProject(root)
  printProblems(project.problems)
  if (hasErrors(project.problems)) throw new ConfigInvalidError(project.problems.filter((p) => p.severity === 'error').length)
  const generated = await generate(project)
  syncSecretFiles(root, generated.outDir)
  return { project, generated }
}
