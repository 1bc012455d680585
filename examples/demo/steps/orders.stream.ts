import type { StreamConfig } from 'stepflare'
import { z } from 'zod'

// The live order board: every order's status, updated by each step of the chain.
export const config: StreamConfig = {
  name: 'orders',
  schema: z.object({ amount: z.number(), status: z.enum(['created', 'paid', 'fulfilled']), customer: z.string().optional() }),
  baseConfig: { storageType: 'default' },
}
