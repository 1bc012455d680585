import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'smol-toml'
import { describe, expect, it } from 'vitest'
import { PACKAGE_ROOT } from './bundle-modules'
import { generate } from './generate'
import { loadProject } from './project'

describe('the root wrangler.toml', () => {
  it('declares what stepflare generates for the demo, so plain wrangler serves and bundles it', async () => {
    const root = parse(readFileSync(join(PACKAGE_ROOT, 'wrangler.toml'), 'utf8')) as Record<string, unknown>
    const generated = (await generate(await loadProject(join(PACKAGE_ROOT, 'examples/demo')))).wrangler
    for (const key of ['name', 'compatibility_date', 'compatibility_flags', 'keep_names', 'durable_objects', 'migrations', 'queues', 'triggers', 'vars']) {
      expect([key, root[key]]).toEqual([key, generated[key]])
    }
    expect(root.main).toBe('examples/demo/.stepflare/entry.ts')
    expect(Object.keys(root.alias as object).sort()).toEqual(Object.keys(generated.alias as object).sort())
  })
})
