import { describe, expect, it } from 'vitest'
import { prettyLogLine } from './print'

// biome-ignore lint/suspicious/noControlCharactersInRegex: strips colour codes to compare text
const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '')

describe('prettyLogLine', () => {
  it("reads a record inside wrangler's coloured error prefix, and prints its error's stack below it", () => {
    const record = {
      level: 'error',
      time: Date.UTC(2026, 11, 7, 4, 35, 29, 322),
      msg: 'API handler failed',
      traceId: 'N58B7R-8129290',
      step: 'BigItem',
      flows: [],
      error: {
        name: 'PayloadLimitError',
        message: 'stream item is 2.50 MB',
        stack: 'PayloadLimitError: stream item is 2.50 MB\n    at set (worker/streams/stream-client.ts:40:5)\n    at handler (steps/big.step.ts:7:3)',
        code: 'PAYLOAD_TOO_LARGE',
      },
    }
    const line = `\x1b[31m✘ \x1b[41;31m[\x1b[41;97mERROR\x1b[41;31m]\x1b[0m \x1b[1m${JSON.stringify(record)}\x1b[0m`
    expect(plain(prettyLogLine(line)).split('\n')).toEqual([
      '04:35:29.322 error BigItem N58B7R-8129290 API handler failed',
      '    PayloadLimitError: stream item is 2.50 MB (PAYLOAD_TOO_LARGE)',
      '      at set (worker/streams/stream-client.ts:40:5)',
      '      at handler (steps/big.step.ts:7:3)',
    ])
  })

  it('keeps other fields on the line and passes other lines unchanged', () => {
    expect(plain(prettyLogLine(JSON.stringify({ level: 'info', time: 1000, msg: 'order created', step: 'Create', id: 'o1' })))).toBe(
      '00:00:01.000 info  Create order created {"id":"o1"}',
    )
    expect(prettyLogLine('[wrangler:info] GET /a 200 OK (3ms)')).toBe('[wrangler:info] GET /a 200 OK (3ms)')
  })
})
