/**
 * A project written to exercise the generated types: every kind of step and schema the generator
 * handles, used correctly (`files`), and one mistake per file (`mistakes`) that `tsc` must reject.
 * The files are kept as text so that the repository's own type-check (which has no generated
 * types) does not see them; `cli/types/type-check.test.ts` writes them to a temporary project.
 */

export const files: Record<string, string> = {
  'steps/create-order.step.ts': `
import type { ApiRouteConfig, Handlers } from 'stepflare'
import { z } from 'zod'

const bodySchema = z.object({ id: z.string(), amount: z.number(), tags: z.array(z.string()).optional() })

export const config: ApiRouteConfig = {
  type: 'api',
  name: 'CreateOrder',
  path: '/shops/:shop/orders',
  method: 'POST',
  bodySchema,
  responseSchema: { 201: z.object({ id: z.string(), shop: z.string() }), 400: z.object({ error: z.string() }) },
  emits: ['order.created', 'audit.log'],
}

export const handler: Handlers['CreateOrder'] = async (req, { emit, streams }) => {
  const { id, amount, tags } = req.body
  if (amount <= 0) return { status: 400, body: { error: 'amount must be positive' } }
  await emit({ topic: 'order.created', data: { id, amount, address: tags?.join(',') } })
  await emit({ topic: 'audit.log', data: { entry: 'created ' + id }, messageGroupId: req.pathParams.shop })
  const item = await streams.board.set(req.pathParams.shop, id, { status: 'new' })
  return { status: 201, body: { id: item.id, shop: req.pathParams.shop } }
}
`,
  'steps/charge.step.ts': `
import type { EventConfig, Handlers } from 'stepflare'

export const config: EventConfig = {
  type: 'event',
  name: 'Charge',
  subscribes: ['order.created'],
  emits: ['order.paid'],
  input: { type: 'object', properties: { id: { type: 'string' }, amount: { type: 'number' } }, required: ['id', 'amount'] },
}

export const handler: Handlers['Charge'] = async (input, { emit }) => {
  await emit({ topic: 'order.paid', data: { id: input.id, amount: input.amount * 100 } })
}
`,
  'steps/ship.step.ts': `
import type { EventConfig, Handlers } from 'stepflare'

// A second subscriber of order.created: an emitter must satisfy both inputs.
export const config: EventConfig = {
  type: 'event',
  name: 'Ship',
  subscribes: ['order.created'],
  emits: [],
  input: {
    type: 'object',
    properties: { id: { type: 'string' }, address: { type: 'string' }, category: { $ref: '#/$defs/Category' } },
    required: ['id'],
    $defs: { Category: { type: 'object', properties: { name: { type: 'string' }, parent: { $ref: '#/$defs/Category' } }, required: ['name'] } },
  },
}

export const handler: Handlers['Ship'] = async (input, { logger }) => {
  logger.info('shipping', { id: input.id, to: input.address ?? 'nowhere', category: input.category?.parent?.name })
}
`,
  'steps/notify.step.ts': `
import type { EventConfig, Handlers } from 'stepflare'
import { z } from 'zod'

export const config: EventConfig = {
  type: 'event',
  name: 'Notify',
  subscribes: ['order.paid'],
  emits: [],
  input: z.object({ id: z.string(), amount: z.number() }),
}

export const handler: Handlers['Notify'] = async (input, { logger }) => {
  logger.info('paid', { id: input.id, cents: input.amount })
}
`,
  'steps/audit.step.ts': `
import type { EventConfig, Handlers } from 'stepflare'

export const config: EventConfig = {
  type: 'event',
  name: 'Audit',
  subscribes: ['audit.log'],
  emits: [],
  input: { type: 'object', properties: { entry: { type: 'string' } }, required: ['entry'] },
  infrastructure: { queue: { type: 'fifo' } },
}

export const handler: Handlers['Audit'] = async (input, { state }) => {
  await state.set('audit', String(Date.now()), input.entry)
}
`,
  'steps/nightly.step.ts': `
import type { CronConfig, Handlers } from 'stepflare'

// emits: [] lets a step emit any topic, so emit must stay callable (Motia typed it \`never\`).
export const config: CronConfig = { type: 'cron', name: 'Nightly', cron: '0 3 * * *', emits: [] }

export const handler: Handlers['Nightly'] = async ({ emit, state }) => {
  await emit({ topic: 'order.paid', data: { anything: true } })
  await state.clear('audit')
}
`,
  'steps/report.step.ts': `
import type { CronConfig, Handlers } from 'stepflare'

export const config: CronConfig = { type: 'cron', name: 'Report', cron: '0 * * * *', emits: ['report.ready'] }

export const handler: Handlers['Report'] = async ({ emit }) => {
  await emit({ topic: 'report.ready', data: { at: Date.now() } })
}
`,
  'steps/review.step.ts': `
import type { NoopConfig } from 'stepflare'

export const config: NoopConfig = { type: 'noop', name: 'Review', virtualEmits: ['order.created'], virtualSubscribes: [] }
`,
  'steps/sync.step.ts': `
import type { Handlers, TriggerStepConfig } from 'stepflare'
import { cron, http, queue } from 'stepflare'

export const config = {
  name: 'Sync',
  triggers: [
    http('POST', '/sync/:source', { bodySchema: { type: 'object', properties: { full: { type: 'boolean' } } } }),
    queue('sync.requested', { input: { type: 'object', properties: { source: { type: 'string' } }, required: ['source'] } }),
    cron('*/15 * * * *'),
  ],
  enqueues: ['order.paid'],
} satisfies TriggerStepConfig

export const handler: Handlers['Sync'] = async (input, { trigger, emit }) => {
  if (trigger.type === 'http' && input && 'pathParams' in input) {
    return { status: 202, body: { source: input.pathParams.source, full: input.body.full ?? false } }
  }
  if (input && 'source' in input) await emit({ topic: 'order.paid', data: { id: input.source, amount: 0 } })
}
`,
  'steps/board.stream.ts': `
import type { StreamConfig } from 'stepflare'
import { z } from 'zod'

export const config: StreamConfig = { name: 'board', schema: z.object({ status: z.enum(['new', 'paid', 'shipped']) }) }
`,
}

export interface Mistake {
  /** What the mistake is. */
  name: string
  code: string
  /** What tsc must say about it. */
  error: RegExp
}

const api = (body: string) => `
import type { Handlers } from 'stepflare'
export const handler: Handlers['CreateOrder'] = async (req, { emit, streams }) => {
  ${body}
  return { status: 201, body: { id: 'x', shop: 'y' } }
}
`

export const mistakes: Mistake[] = [
  { name: 'reads a body field the schema does not have', code: api('req.body.price'), error: /Property 'price' does not exist/ },
  { name: 'reads a path parameter the path does not have', code: api('req.pathParams.id'), error: /Property 'id' does not exist/ },
  {
    name: 'emits a topic the step does not declare',
    code: api("await emit({ topic: 'order.craeted', data: { id: 'x', amount: 1 } })"),
    error: /order\.craeted/,
  },
  {
    name: 'emits data missing a field a subscriber requires',
    code: api("await emit({ topic: 'order.created', data: { id: 'x' } })"),
    error: /'amount' is missing/,
  },
  {
    name: 'emits data of the wrong type for the second subscriber',
    code: api("await emit({ topic: 'order.created', data: { id: 'x', amount: 1, address: 7 } })"),
    error: /not assignable to type 'string'/,
  },
  { name: 'emits to a FIFO topic without a messageGroupId', code: api("await emit({ topic: 'audit.log', data: { entry: 'e' } })"), error: /messageGroupId/ },
  { name: 'writes a stream item that breaks the stream schema', code: api("await streams.board.set('g', 'i', { status: 'lost' })"), error: /"lost"/ },
  {
    name: 'answers with a status the responseSchema does not list',
    code: `import type { Handlers } from 'stepflare'
export const handler: Handlers['CreateOrder'] = async () => ({ status: 200, body: { id: 'x', shop: 'y' } })`,
    error: /not assignable/,
  },
  {
    name: 'answers with a body that breaks the responseSchema',
    code: `import type { Handlers } from 'stepflare'
export const handler: Handlers['CreateOrder'] = async () => ({ status: 201, body: { id: 'x' } })`,
    error: /not assignable/,
  },
  {
    name: 'reads an event input field the input schema does not have',
    code: `import type { Handlers } from 'stepflare'
export const handler: Handlers['Charge'] = async (input) => { input.address }`,
    error: /Property 'address' does not exist/,
  },
  {
    name: 'emits wrong data from an event step',
    code: `import type { Handlers } from 'stepflare'
export const handler: Handlers['Charge'] = async (input, { emit }) => { await emit({ topic: 'order.paid', data: input.id }) }`,
    error: /not assignable/,
  },
  {
    name: 'emits an undeclared topic from a cron step',
    code: `import type { Handlers } from 'stepflare'
export const handler: Handlers['Report'] = async ({ emit }) => { await emit({ topic: 'report.lost', data: {} }) }`,
    error: /report\.lost/,
  },
  {
    name: 'uses a handler type for a noop step',
    code: `import type { Handlers } from 'stepflare'
export const handler: Handlers['Review'] = async () => {}`,
    error: /Property 'Review' does not exist/,
  },
  {
    name: 'reads a stream item field the stream schema does not have',
    code: `import type { Handlers } from 'stepflare'
export const handler: Handlers['Nightly'] = async ({ streams }) => { const item = await streams.board.get('g', 'i'); item?.owner }`,
    error: /Property 'owner' does not exist/,
  },
]
