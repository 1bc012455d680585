import type { ApiRouteConfig, Handlers } from 'motia'

export const config: ApiRouteConfig = { type: 'api', name: 'Health', path: '/health', method: 'GET', emits: [] }

export const handler: Handlers['Health'] = async () => ({ status: 200, body: { ok: true } })
