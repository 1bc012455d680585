import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

// V8 keeps a script's source as one string: a single character above U+00FF (an em dash in a
// comment esbuild keeps, such as a class member's JSDoc) makes all of it two bytes per character,
// doubling what every isolate holds for stepflare's code. esbuild escapes such characters in
// string literals, not in the comments it keeps, so this bundles the runtime as wrangler does
// (esbuild, default charset, no minify) and looks for them.
const ENTRIES = ['./index.ts', './python/entry.ts'].map((p) => fileURLToPath(new URL(p, import.meta.url)))

describe('the bundled runtime', () => {
  it.each(ENTRIES)('has a Latin-1 source: %s', async (entry) => {
    const out = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'neutral',
      conditions: ['workerd', 'worker', 'browser'],
      mainFields: ['module', 'main'],
      external: ['cloudflare:*', 'node:*'],
      logLevel: 'silent',
    })
    const text = out.outputFiles[0]?.text ?? ''
    expect(text.length).toBeGreaterThan(10_000)
    const wide = [...text.matchAll(/[\u0100-\uffff]/g)].map((m) => text.slice(Math.max(0, m.index - 40), m.index + 20).replace(/\s+/g, ' '))
    expect(wide, 'characters above U+00FF in the bundle (write them in ASCII)').toEqual([])
  })
})
