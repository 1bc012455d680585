/**
 * Validation of `*.stream.ts` configs (CLI only), with the same message shape as steps.
 * @module
 */
import { z } from 'zod'

const fn = z.custom<(...args: unknown[]) => unknown>((v) => typeof v === 'function', { message: 'expected a function' })

export const streamConfigSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z_$][\w$]*$/, { message: 'expected a name usable as ctx.streams.<name> (letters, digits, _ or $)' }),
  schema: z.custom<object>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), { message: 'expected a zod schema or a JSON Schema object' }),
  baseConfig: z.strictObject({ storageType: z.literal('default') }).optional(),
  canAccess: fn.optional(),
  onJoin: fn.optional(),
  onLeave: fn.optional(),
})
