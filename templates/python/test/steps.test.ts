import { createMockContext } from 'stepflare/testing'
import { describe, expect, it } from 'vitest'
import { handler as record } from '../steps/record-analysis.step'
import { handler as submit } from '../steps/submit-text.step'

// The TypeScript steps, one handler at a time. (The Python step runs in its own process under
// `stepflare dev`; test it with Python's own tools.)
describe('SubmitText', () => {
  it('keeps the text and emits it for the Python step', async () => {
    const ctx = createMockContext({ traceId: 'T1' })
    const res = await submit({ body: { text: 'one two three' }, pathParams: {}, queryParams: {}, headers: {}, rawBody: '' }, ctx)
    expect(res).toEqual({ status: 202, body: { id: 'text-T1', status: 'submitted' } })
    expect(ctx.emit).toHaveBeenCalledWith({ topic: 'text.submitted', data: { id: 'text-T1', text: 'one two three' } })
  })
})

describe('RecordAnalysis', () => {
  it('records what the Python step found', async () => {
    const ctx = createMockContext()
    await ctx.state.set('texts', 't1', { id: 't1', status: 'submitted' })
    await record({ id: 't1', words: 3 }, ctx)
    expect(await ctx.state.get('texts', 't1')).toEqual({ id: 't1', status: 'analyzed', words: 3 })
  })
})
