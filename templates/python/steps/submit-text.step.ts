import type { ApiRouteConfig, Handlers } from 'stepflare'
import { z } from 'zod'

const bodySchema = z.object({ text: z.string().min(1) })

// TypeScript API step: accepts a text and hands it to the Python step through text.submitted.
export const config: ApiRouteConfig = {
  type: 'api',
  name: 'SubmitText',
  path: '/texts',
  method: 'POST',
  bodySchema,
  emits: ['text.submitted'],
  flows: ['texts'],
}

export const handler: Handlers['SubmitText'] = async (req, { emit, state, traceId }) => {
  const { text } = bodySchema.parse(req.body)
  const id = `text-${traceId}`
  await state.set('texts', id, { id, text, status: 'submitted' })
  await emit({ topic: 'text.submitted', data: { id, text } })
  return { status: 202, body: { id, status: 'submitted' } }
}
