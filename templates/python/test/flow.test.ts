import { createFlowTester } from 'stepflare/testing'
import { describe, expect, it } from 'vitest'

// Inside workerd there is no Python runner: the Python step's deliveries fail and retry (you will
// see their warnings). `stepflare dev` runs it; these tests cover the TypeScript side.
const flow = createFlowTester()

describe('the texts API', () => {
  it('accepts a text and serves it back', async () => {
    const res = await flow.post('/texts', { text: 'hello python' })
    expect(res.status).toBe(202)
    const { id } = res.body as { id: string }
    const got = await flow.get(`/texts/${id}`)
    expect(got.body).toMatchObject({ id, text: 'hello python' })
  })

  it('finishes the flow when the analysis comes back', async () => {
    // Stand in for the Python step: emit what it would emit.
    await flow.state.set('texts', 't-flow', { id: 't-flow', status: 'submitted' })
    const { traceId } = await flow.emit({ topic: 'text.analyzed', data: { id: 't-flow', words: 2 } })
    await flow.waitForTrace(traceId)
    expect(await flow.state.get('texts', 't-flow')).toMatchObject({ status: 'analyzed', words: 2 })
  })
})
