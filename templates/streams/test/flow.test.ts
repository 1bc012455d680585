import { createFlowTester } from 'stepflare/testing'
import { describe, expect, it } from 'vitest'

const flow = createFlowTester()

describe('the live poll', () => {
  it('keeps the counts in the stream and the totals in state', async () => {
    await flow.post('/votes', { option: 'dogs' })
    const res = await flow.post('/votes', { option: 'dogs' })
    expect(res.body).toEqual({ option: 'dogs', count: 2 })
    await flow.waitForTrace(res.traceId!)
    expect(await flow.streams.get('votes', 'poll', 'dogs')).toMatchObject({ option: 'dogs', count: 2 })
    await flow.idle()
    expect(await flow.state.get('totals', 'dogs')).toBe(2)
  })

  it('serves the live page', async () => {
    const page = await flow.get('/live')
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toContain('text/html')
  })
})
