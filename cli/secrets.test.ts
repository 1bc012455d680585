import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CliError } from './errors'
import { checkLocalSecrets, parseNames } from './secrets'

describe('secrets', () => {
  it('reads names from dotenv files', () => {
    expect(parseNames('A=1\n# B=2\nexport C="x"\n  D = y\nbad line')).toEqual(['A', 'C', 'D'])
  })

  it('names every missing required secret and says where to put it', () => {
    const root = mkdtempSync(join(tmpdir(), 'sf-secrets-'))
    writeFileSync(join(root, '.dev.vars'), 'API_KEY=abc\n')
    expect(() => checkLocalSecrets(root, { secrets: { required: ['API_KEY'] } })).not.toThrow()
    const err = (() => {
      try {
        checkLocalSecrets(root, { secrets: { required: ['API_KEY', 'DB_URL', 'TOKEN_X'] } })
      } catch (e) {
        return e as CliError
      }
    })()
    expect(err).toBeInstanceOf(CliError)
    expect(err?.message).toBe('missing required secrets: DB_URL, TOKEN_X')
    expect(err?.hint).toMatch(/\.dev\.vars.*wrangler secret put/)
  })
})
