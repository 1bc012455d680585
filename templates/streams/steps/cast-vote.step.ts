import type { ApiRouteConfig, Handlers } from 'stepflare'
import { z } from 'zod'

const bodySchema = z.object({ option: z.enum(['cats', 'dogs', 'fish']) })

// POST /votes: counts the vote in the `votes` stream (every open page updates at once) and emits
// vote.cast for the tally.
export const config: ApiRouteConfig = {
  type: 'api',
  name: 'CastVote',
  path: '/votes',
  method: 'POST',
  bodySchema,
  emits: ['vote.cast'],
  flows: ['poll'],
}

export const handler: Handlers['CastVote'] = async (req, { streams, emit }) => {
  const { option } = bodySchema.parse(req.body)
  const current = await streams.votes.get('poll', option)
  const item = await streams.votes.set('poll', option, { option, count: (current?.count ?? 0) + 1 })
  await emit({ topic: 'vote.cast', data: { option } })
  return { status: 200, body: { option, count: item.count } }
}
