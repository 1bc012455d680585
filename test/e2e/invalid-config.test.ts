import { cpSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, tempDir } from './dev-server'

function project(files: Record<string, string>): string {
  const root = tempDir('sf-invalid-')
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true })
    writeFileSync(join(root, name), content)
  }
  return root
}

const api = (name: string, path: string, extra = '') =>
  `export const config = { type: 'api', name: '${name}', path: '${path}', method: 'GET', emits: [] ${extra} }\nexport const handler = async () => ({ status: 200, body: {} })\n`

describe('invalid configuration', () => {
  it('reports every error together, each with file, field, expected and found, and exits 1', async () => {
    const root = project({
      'steps/a.step.ts': api('Same', '/a', ", colour: 'red'"),
      'steps/b.step.ts': api('Same', '/b'),
      'steps/c.step.ts': api('C', '/a'),
      // Too broken to normalise, and a duplicate name: both are reported.
      'steps/d.step.ts': `export const config = { type: 'api', name: 'Same', path: '/d', method: 'FETCH', emits: 'x' }\nexport const handler = async () => ({ status: 200, body: {} })\n`,
      'steps/e.step.ts': `export const config = { type: 'cron', name: 'E', cron: '61 * * * *', emits: [] }\nexport const handler = async () => {}\n`,
      'steps/f.step.ts': `export const config = { type: 'event', name: 'F', subscribes: ['nobody.emits'], emits: [] }\nexport const handler = async () => {}\n`,
      'steps/g.step.ts': `export const config = { type: 'job', name: 'G' }\n`,
      'steps/h.step.ts': api('H', 'noslash'),
    })
    const r = await runCli(['build', '--root', root])
    expect(r.code).toBe(1)
    const err = r.stderr
    expect(err).toContain('error steps/a.step.ts  config.colour: unknown key')
    expect(err).toContain('error steps/b.step.ts  config.name: expected a unique step name, found "Same" which steps/a.step.ts also uses')
    expect(err).toContain('error steps/c.step.ts  config.path: expected a unique method and path, found GET /a which steps/a.step.ts (Same) also serves')
    expect(err).toContain('error steps/d.step.ts  config.method: expected one of "GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", found "FETCH"')
    expect(err).toContain('error steps/d.step.ts  config.emits: expected an array, found "x"')
    expect(err).toContain('error steps/d.step.ts  config.name: expected a unique step name, found "Same" which steps/a.step.ts also uses')
    expect(err).toContain('warning steps/h.step.ts  config.path: "noslash" has no leading slash; it is served as "/noslash"')
    expect(err).toMatch(/error steps\/e\.step\.ts {2}config\.cron: expected a valid cron expression, found "61 \* \* \* \*"/)
    expect(err).toContain('warning steps/f.step.ts  config.subscribes: no step emits "nobody.emits"')
    expect(err).toContain('error steps/g.step.ts  config.type: expected one of "api", "event", "cron", "noop" (or a `triggers` array), found "job"')
    expect(err).toMatch(/✖ 8 configuration errors/)
    expect(err).toContain('Fix the errors above and run the command again.')
  })

  it('names the file and line of a step that does not compile', async () => {
    const root = project({ 'steps/broken.step.ts': 'export const config = {\n  type: "api",,\n}\n' })
    const r = await runCli(['build', '--root', root])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/error steps\/broken\.step\.ts:2:\d+ {2}module: /)
  })

  it('stops dev the same way, before starting wrangler', async () => {
    const root = project({ 'steps/a.step.ts': api('A', 'no-slash?x') })
    const r = await runCli(['dev', '--root', root, '--port', '8799'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('config.path: expected a path such as /orders/:id, found "no-slash?x"')
  })

  it('accepts a valid project and warns about a Python step file named *.step.py', async () => {
    const root = project({ 'steps/a.step.ts': api('A', '/a'), 'steps/old.step.py': '' })
    cpSync(join(import.meta.dirname, '../../examples/demo/wrangler.jsonc'), join(root, 'wrangler.jsonc'))
    const r = await runCli(['build', '--root', root, '--json'])
    expect(r.code).toBe(0)
    expect(r.stderr).toContain('warning steps/old.step.py  file name: *.step.py is not loaded')
    expect(JSON.parse(r.stdout.trim().split('\n').pop() as string)).toMatchObject({ bytes: expect.any(Number), gzipBytes: expect.any(Number) })
  })
})
