import { describe, expect, it } from 'vitest'
import { call } from './helpers'

// The generated entry imports the built UI as Data modules (workbench/dist/packed/*.bin): this
// runs the real bundle path under workerd, as `stepflare dev` does.
describe('workbench assets', () => {
  it('serves the page and its hashed files from Data modules, the same bytes on every request', async () => {
    const page = await call('/__stepflare/')
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    const html = await page.text()
    const script = html.match(/src="(\/__stepflare\/assets\/index-[\w-]+\.js)"/)?.[1]
    const style = html.match(/href="(\/__stepflare\/assets\/index-[\w-]+\.css)"/)?.[1]
    expect(script, html).toBeDefined()
    expect(style, html).toBeDefined()

    const first = await call(script as string)
    expect(first.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(first.headers.get('cache-control')).toContain('immutable')
    const bytes = new Uint8Array(await first.arrayBuffer())
    expect(bytes.byteLength).toBeGreaterThan(100_000)
    // A buffer handed to a Response is copied, not detached: the next request gets it whole.
    const again = new Uint8Array(await (await call(script as string)).arrayBuffer())
    expect(again).toEqual(bytes)

    const css = await call(style as string)
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8')
    expect((await css.text()).length).toBeGreaterThan(1000)
  })

  it('answers an unknown asset with a JSON 404', async () => {
    const res = await call('/__stepflare/assets/index-nothing.js')
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ error: 'Not Found' })
  })
})
