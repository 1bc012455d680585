import { describe, expect, it } from 'vitest'
import { checkProjectConfig } from './project-checks'

describe('checkProjectConfig', () => {
  it('accepts the batch settings Cloudflare accepts', () => {
    expect(checkProjectConfig({ queue: { maxBatchSize: 100, maxBatchTimeout: 0 } }, 'stepflare.config.ts')).toEqual([])
    expect(checkProjectConfig({}, 'stepflare.config.ts')).toEqual([])
  })

  it('names the file and the field of each bad batch setting, together', () => {
    const problems = checkProjectConfig({ queue: { maxBatchSize: 500, maxBatchTimeout: -1 } }, 'stepflare.config.ts')
    expect(problems).toEqual([
      { severity: 'error', file: 'stepflare.config.ts', field: 'queue.maxBatchSize', message: 'expected an integer from 1 to 100, found 500' },
      { severity: 'error', file: 'stepflare.config.ts', field: 'queue.maxBatchTimeout', message: 'expected seconds from 0 to 60, found -1' },
    ])
  })

  it('checks dev.allowedHosts', () => {
    expect(checkProjectConfig({ dev: { allowedHosts: ['app.test', '.example.com'] } }, 'stepflare.config.ts')).toEqual([])
    expect(checkProjectConfig({ dev: { allowedHosts: true } }, 'stepflare.config.ts')).toEqual([])
    expect(checkProjectConfig({ dev: { allowedHosts: 'app.test' as unknown as string[] } }, 'stepflare.config.ts')).toEqual([
      {
        severity: 'error',
        file: 'stepflare.config.ts',
        field: 'dev.allowedHosts',
        message: `expected true or an array of host names such as ['myapp.test', '.example.com'], found "app.test"`,
      },
    ])
  })
})
