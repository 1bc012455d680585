/**
 * `stepflare routes [--json]`: every HTTP route of the project's API steps, with the step that
 * answers it and what its schemas declare.
 * @module
 */
import type { StepModel } from '../../sdk/config/model'
import { color } from '../print'
import { loadValid, models } from './load'

export interface RouteInfo {
  method: string
  path: string
  step: string
  file: string
  body: boolean
  responses: string[]
  queryParams: string[]
  middleware: number
  flows: string[]
}

export function listRoutes(steps: StepModel[]): RouteInfo[] {
  const out: RouteInfo[] = []
  for (const s of steps) {
    for (const t of s.triggers) {
      if (t.type !== 'http') continue
      out.push({
        method: t.method,
        path: t.path,
        step: s.name,
        file: s.file,
        body: t.bodySchema !== undefined,
        responses: Object.keys(t.responseSchema ?? {}),
        queryParams: t.queryParams.map((q) => q.name),
        middleware: t.middleware.length,
        flows: s.flows,
      })
    }
  }
  return out.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method))
}

export function formatRoutes(routes: RouteInfo[]): string {
  if (routes.length === 0) return 'No API steps: add a step with `type: "api"` (or an `http(...)` trigger).'
  const rows = routes.map((r) => [r.method, r.path, r.step, r.file])
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => (row[i] ?? '').length)))
  return rows
    .map((row) => {
      const [method = '', path = '', step = '', file = ''] = row
      return `${color.bold(method.padEnd(widths[0] ?? 0))}  ${path.padEnd(widths[1] ?? 0)}  ${color.cyan(step.padEnd(widths[2] ?? 0))}  ${color.gray(file)}`
    })
    .join('\n')
}

export async function routesCommand(opts: { root: string; json?: boolean }): Promise<void> {
  const project = await loadValid(opts.root)
  const routes = listRoutes(models(project))
  if (opts.json) console.log(JSON.stringify({ routes }, null, 2))
  else console.log(formatRoutes(routes))
}
