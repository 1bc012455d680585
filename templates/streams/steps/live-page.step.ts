import type { ApiRouteConfig, Handlers } from 'stepflare'
import { livePage } from '../src/live-page'

// GET /live: a page that shows the poll updating in real time over the stream's WebSocket.
export const config: ApiRouteConfig = { type: 'api', name: 'LivePage', path: '/live', method: 'GET', emits: [], flows: ['poll'] }

export const handler: Handlers['LivePage'] = async () => ({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: livePage })
