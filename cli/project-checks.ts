/**
 * Checks of the project config (`stepflare.config.ts`) that the generated wrangler configuration
 * depends on: values Cloudflare would refuse at deploy time are reported at `dev` and `build`.
 * @module
 */
import { type ConfigProblem, describeValue } from '../sdk/config/validate'
import type { ProjectConfig } from '../sdk/project-config'

export function checkProjectConfig(config: ProjectConfig, file: string): ConfigProblem[] {
  const problems: ConfigProblem[] = []
  const { maxBatchSize, maxBatchTimeout } = config.queue ?? {}
  if (maxBatchSize !== undefined && !(Number.isInteger(maxBatchSize) && maxBatchSize >= 1 && maxBatchSize <= 100)) {
    problems.push({ severity: 'error', file, field: 'queue.maxBatchSize', message: `expected an integer from 1 to 100, found ${describeValue(maxBatchSize)}` })
  }
  if (maxBatchTimeout !== undefined && !(typeof maxBatchTimeout === 'number' && maxBatchTimeout >= 0 && maxBatchTimeout <= 60)) {
    problems.push({
      severity: 'error',
      file,
      field: 'queue.maxBatchTimeout',
      message: `expected seconds from 0 to 60, found ${describeValue(maxBatchTimeout)}`,
    })
  }
  // Motia-only settings: accepted, so a Motia config loads unchanged, and said to be ignored.
  if (Array.isArray(config.plugins) && config.plugins.length > 0) {
    problems.push({
      severity: 'warning',
      file,
      field: 'plugins',
      message: `${config.plugins.length} Motia workbench plugin(s) not loaded: stepflare's workbench is built in, and the Worker gets a stub for each`,
    })
  }
  for (const key of ['redis', 'adapters', 'app'] as const) {
    if (config[key] !== undefined)
      problems.push({ severity: 'warning', file, field: key, message: "ignored: a Motia-only setting (stepflare's state, queues and HTTP run on Cloudflare)" })
  }
  const allowedHosts = config.dev?.allowedHosts
  if (allowedHosts !== undefined && allowedHosts !== true && !(Array.isArray(allowedHosts) && allowedHosts.every((h) => typeof h === 'string' && h !== ''))) {
    problems.push({
      severity: 'error',
      file,
      field: 'dev.allowedHosts',
      message: `expected true or an array of host names such as ['myapp.test', '.example.com'], found ${describeValue(allowedHosts)}`,
    })
  }
  return problems
}
