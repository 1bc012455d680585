import type { StreamConfig } from 'stepflare'
import { z } from 'zod'

// A stream: items in groups, pushed to every subscribed browser as they change.
export const config: StreamConfig = {
  name: 'votes',
  schema: z.object({ option: z.string(), count: z.number() }),
  baseConfig: { storageType: 'default' },
}
