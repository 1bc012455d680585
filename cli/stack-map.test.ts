import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { afterAll, describe, expect, it } from 'vitest'
import { StackMapper } from './stack-map'

const root = mkdtempSync(join(tmpdir(), 'stack-map-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('StackMapper', () => {
  it("maps frames of the dev bundle to the user's own step file and line", async () => {
    // The layout `stepflare dev` produces: the mirror of the sources, and wrangler's bundle + map.
    const mirror = join(root, '.stepflare', 'src', 'steps')
    mkdirSync(mirror, { recursive: true })
    writeFileSync(join(mirror, 'boom.step.ts'), "export function handler(): never {\n  const why: string = 'boom'\n  throw new Error(why)\n}\n")
    const out = join(root, '.stepflare', '.wrangler', 'tmp', 'dev-abc123', 'entry.js')
    await build({ entryPoints: [join(mirror, 'boom.step.ts')], bundle: true, format: 'esm', sourcemap: true, outfile: out, logLevel: 'silent' })
    // The frame as workerd prints it (the test runner would source-map a real throw by itself).
    const lines = readFileSync(out, 'utf8').split('\n')
    const at = lines.findIndex((l) => l.includes('throw new Error(why)'))
    const stack = `Error: boom\n    at handler (${pathToFileURL(out).href}:${at + 1}:${lines[at]!.indexOf('throw') + 1})`
    const mapped = new StackMapper(root).map(stack)
    expect(mapped).toMatch(/at handler \(steps\/boom\.step\.ts:3:\d+\)/)
    expect(mapped).not.toContain('entry.js')
  })

  it('leaves text without bundle frames, and frames it cannot place, as they are', () => {
    const mapper = new StackMapper(join(root, 'nowhere'))
    expect(mapper.map('Error: x\n    at f (steps/a.ts:1:1)')).toBe('Error: x\n    at f (steps/a.ts:1:1)')
    const frame = 'at g (/p/.stepflare/.wrangler/tmp/dev-x/entry.js:10:2)'
    expect(mapper.map(frame)).toBe(frame)
  })
})
