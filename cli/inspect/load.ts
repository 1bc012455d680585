/**
 * Loading a project for the inspection commands: every problem is printed (to stderr, so `--json`
 * output stays clean) and errors stop the command, as they stop `dev`.
 * @module
 */
import { resolve } from 'node:path'
import type { StepModel } from '../../sdk/config/model'
import { ConfigInvalidError } from '../errors'
import { printProblems } from '../print'
import { hasErrors, loadProject, type Project } from '../project'

export async function loadValid(root: string): Promise<Project> {
  const project = await loadProject(resolve(root))
  printProblems(project.problems)
  if (hasErrors(project.problems)) throw new ConfigInvalidError(project.problems.filter((p) => p.severity === 'error').length)
  return project
}

export const models = (project: Project): StepModel[] => project.steps.map((s) => s.model)

/** `/orders/:id{[0-9]+}` → `/orders/{id}` (OpenAPI's template syntax). */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?\??/g, '{$1}')
}

export function pathParamNames(path: string): { name: string; optional: boolean }[] {
  return [...path.matchAll(/:([A-Za-z0-9_]+)(\{[^}]*\})?(\?)?/g)].map((m) => ({ name: m[1] as string, optional: Boolean(m[3]) }))
}
