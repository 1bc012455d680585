import { createMockContext } from 'stepflare/testing'
import { describe, expect, it } from 'vitest'
import { handler } from '../steps/cast-vote.step'

const request = (body: { option: 'cats' | 'dogs' | 'fish' }) => ({ body, pathParams: {}, queryParams: {}, headers: {}, rawBody: '' })

describe('CastVote', () => {
  it('counts votes in the stream and emits vote.cast', async () => {
    // ctx.streams.<name> is an in-memory mock stream in createMockContext.
    const ctx = createMockContext()
    await handler(request({ option: 'cats' }), ctx)
    const res = await handler(request({ option: 'cats' }), ctx)
    expect(res).toEqual({ status: 200, body: { option: 'cats', count: 2 } })
    expect(await ctx.streams.votes.getGroup('poll')).toEqual([{ id: 'cats', option: 'cats', count: 2 }])
    expect(ctx.emit).toHaveBeenCalledWith({ topic: 'vote.cast', data: { option: 'cats' } })
  })
})
