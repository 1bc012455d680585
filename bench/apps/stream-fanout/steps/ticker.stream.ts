import type { StreamConfig } from 'stepflare'

export const config: StreamConfig = {
  name: 'ticker',
  schema: { type: 'object', properties: { n: { type: 'number' }, sentAt: { type: 'number' } }, required: ['n'] },
}
