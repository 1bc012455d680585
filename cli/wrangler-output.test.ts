import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { outputFilter, relayLines } from './wrangler-output'

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

  it("keeps a build error's details, which follow a blank line", () => {
    const keep = outputFilter()
    const lines = [
      '✘ [ERROR] Could not resolve "nowhere"',
      '',
      '    steps/a.step.ts:1:18:',
      "      1 │ import x from 'nowhere'",
      '        ╵                   ~~~~~~~~~',
      '',
      '  You can mark the path "nowhere" as external to exclude it from the bundle.',
      '',
      'Build failed with 1 error:',
    ]
    expect(lines.filter(keep)).toEqual(lines.filter((l) => l !== ''))
  })
})

describe('relayLines', () => {
  it('relays kept lines, joins lines split across chunks, and flushes the last one', async () => {
    const input = new PassThrough()
    const writes: string[] = []
    relayLines(input, { write: (s: string) => writes.push(s) }, (line) => (line.startsWith('drop') ? null : line.toUpperCase()))
    input.write('a\nb\r\ndrop me\nc')
    input.write('d\ne\n')
    input.end('tail')
    await new Promise((r) => input.on('end', r))
    expect(writes.join('')).toBe('A\nB\nCD\nE\nTAIL\n')
  })
})
