import { describe, expect, it } from 'vitest'
import { outputFilter } from './wrangler-output'

describe('outputFilter', () => {
  it('drops offline noise with its stack and keeps log lines and errors', () => {
    const keep = outputFilter()
    const lines = [
      '[wrangler:warn] Unable to fetch the `Request.cf` object! Falling back to a default placeholder...',
      'Error: getaddrinfo ENOTFOUND workers.cloudflare.com',
      '    at GetAddrInfoReqWrap.onlookupall [as oncomplete] (node:dns:122:26)',
      '{"level":"info","msg":"order created"}',
      '▲ [WARNING] Scheduled Workers are not automatically triggered during local development.',
      '  To manually trigger a scheduled event, run:',
      '[wrangler:info] POST /orders 201 Created (12ms)',
      'X [ERROR] Something real broke',
    ]
    expect(lines.filter(keep)).toEqual([
      '{"level":"info","msg":"order created"}',
      '[wrangler:info] POST /orders 201 Created (12ms)',
      'X [ERROR] Something real broke',
    ])
  })
})
