import { describe, expect, it } from 'vitest'
import { pluginStub } from './mirror'

describe('pluginStub', () => {
  it('keeps every export name of a Motia workbench plugin, each a plugin that adds nothing', async () => {
    const stub = pluginStub(`import path from 'node:path'
export const a = 1
export async function b() {}
export class C {}
const d = 2, e = 3
export { d, e as f, e as default }
export default function plugin() {}
`)
    expect(stub).not.toContain('node:path')
    const mod = await import(`data:text/javascript,${encodeURIComponent(stub)}`)
    expect(Object.keys(mod).sort()).toEqual(['C', 'a', 'b', 'd', 'default', 'f'])
    expect(mod.default()).toEqual({ workbench: [] })
    expect(mod.f()).toEqual({ workbench: [] })
  })
})
