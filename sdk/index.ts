/**
 * stepflare's public SDK: what a step file imports. `import … from 'motia'` resolves here too,
 * so Motia 0.17 step files run unchanged.
 *
 * @example
 * ```ts
 * import type { ApiRouteConfig, Handlers } from 'stepflare'
 * export const config: ApiRouteConfig = { type: 'api', name: 'Hello', path: '/hello', method: 'GET', emits: [] }
 * export const handler: Handlers['Hello'] = async () => ({ status: 200, body: { hello: 'world' } })
 * ```
 * @module
 */

export type * from './context-types'
export { EmitError, StepflareError, ValidationError } from './errors'
export type * from './handler-types'
export type { ProjectConfig, StreamAuthRequest } from './project-config'
export { config, defineConfig } from './project-config'
export type * from './stream-types'
export { api, cron, http, jsonSchema, queue, state, step, stream } from './triggers'
export type * from './types'
