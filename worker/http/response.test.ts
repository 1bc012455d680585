import { describe, expect, it } from 'vitest'
import { toResponse } from './response'

const TRACE = { 'x-trace-id': 't1' }

describe('toResponse', () => {
  it('sends JSON, text and bytes with their content type and the extra headers', async () => {
    const json = toResponse({ status: 201, body: { a: 1 } }, TRACE)
    expect(json.status).toBe(201)
    expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(json.headers.get('x-trace-id')).toBe('t1')
    expect(await json.json()).toEqual({ a: 1 })
    const text = toResponse({ status: 200, body: 'hi' }, TRACE)
    expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    expect(await text.text()).toBe('hi')
    const serialized = toResponse({ status: 200, body: { type: 'Buffer', data: [1, 2] } })
    expect(serialized.headers.get('content-type')).toBe('application/octet-stream')
    expect([...new Uint8Array(await serialized.arrayBuffer())]).toEqual([1, 2])
  })

  it("keeps the handler's headers over the defaults and the extra headers, whatever their case", async () => {
    const r = toResponse({ status: 200, headers: { 'Content-Type': 'application/vnd.x+json', 'X-Trace-Id': 'mine' }, body: { a: 1 } }, TRACE)
    expect(r.headers.get('content-type')).toBe('application/vnd.x+json')
    expect(r.headers.get('x-trace-id')).toBe('mine')
    const added = toResponse({ status: 200, headers: { 'x-kind': 'k' }, body: new Uint8Array([7]) }, TRACE)
    expect(added.headers.get('content-type')).toBe('application/octet-stream')
    expect(added.headers.get('x-trace-id')).toBe('t1')
  })

  it('sends no body and no content type for 204 or an undefined body', async () => {
    const empty = toResponse({ status: 204, body: { ignored: true } }, TRACE)
    expect(empty.headers.get('content-type')).toBeNull()
    expect(await empty.text()).toBe('')
    const none = toResponse({ status: 200 } as never, TRACE)
    expect(none.headers.get('content-type')).toBeNull()
    expect(none.headers.get('x-trace-id')).toBe('t1')
  })
})
