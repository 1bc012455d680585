/**
 * Motia's own published browser clients, unchanged, against `stepflare dev` in Chromium:
 * `@motiadev/stream-client-browser` and `@motiadev/stream-client-react` (the `-node` one is in
 * test/e2e/streams.test.ts). Each is bundled with esbuild into a page served from another port, as
 * a front end would be.
 */
import { randomUUID } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { join } from 'node:path'
import { build } from 'esbuild'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DevServer, REPO, startDev, tempDir } from '../e2e/dev-server'
import { launchChromium } from './chromium'

const PORT = 8887
const PAGE_PORT = 8888
let dev: DevServer
let pages: Server
let browser: Browser

const BROWSER_CLIENT = `
import { Stream } from '@motiadev/stream-client-browser'
window.log = []
window.start = (url, group) => {
  const stream = new Stream(url)
  const sub = stream.subscribeGroup('todo', group)
  sub.addChangeListener((items) => window.log.push('state:' + (items ?? []).map((i) => i.id + ':' + i.done).join(',')))
  sub.onEvent('ping', (data) => window.log.push('event:' + JSON.stringify(data)))
  const item = stream.subscribeItem('todo', group, 'a')
  item.addChangeListener((a) => window.log.push('item:' + (a ? a.title + ':' + a.done : 'none')))
}
`

const REACT_CLIENT = `
import { createRoot } from 'react-dom/client'
import { MotiaStreamProvider, useStreamGroup, useStreamItem, useStreamEventHandler } from '@motiadev/stream-client-react'
import { useState } from 'react'

function Board({ group }) {
  const { data, event } = useStreamGroup({ streamName: 'todo', groupId: group, sortKey: 'id' })
  const { data: a } = useStreamItem({ streamName: 'todo', groupId: group, id: 'a' })
  const [pings, setPings] = useState([])
  useStreamEventHandler({ event, type: 'ping', listener: (d) => setPings((p) => [...p, d.n]) }, [])
  return (
    <div>
      <ul id="todos">{data.map((t) => <li key={t.id}>{t.id}:{String(t.done)}</li>)}</ul>
      <p id="item">{a ? a.title + ':' + String(a.done) : 'none'}</p>
      <p id="pings">{pings.join(',')}</p>
    </div>
  )
}
window.start = (url, group) => {
  createRoot(document.getElementById('root')).render(<MotiaStreamProvider address={url}><Board group={group} /></MotiaStreamProvider>)
}
`

beforeAll(async () => {
  dev = await startDev(join(REPO, 'test/fixtures/streams-app'), PORT)
  const dir = tempDir('sf-motia-clients-')
  for (const [name, source] of [
    ['browser', BROWSER_CLIENT],
    ['react', REACT_CLIENT],
  ] as const) {
    writeFileSync(join(dir, `${name}.jsx`), source)
    await build({
      entryPoints: [join(dir, `${name}.jsx`)],
      bundle: true,
      format: 'esm',
      jsx: 'automatic',
      outfile: join(dir, `${name}.js`),
      nodePaths: [join(REPO, 'node_modules')],
      define: { 'process.env.NODE_ENV': '"production"' },
      logLevel: 'silent',
    })
  }
  pages = createServer((req, res) => {
    const name = req.url?.includes('react') ? 'react' : 'browser'
    if (req.url?.endsWith('.js')) {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(join(dir, `${name}.js`)))
      return
    }
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><div id="root"></div><script type="module" src="/${name}.js"></script>`)
  })
  await new Promise<void>((r) => pages.listen(PAGE_PORT, '127.0.0.1', r))
  browser = await launchChromium()
}, 180_000)

afterAll(async () => {
  await browser?.close()
  pages?.close()
  await dev?.stop()
})

const api = (method: string, path: string, body?: unknown) =>
  fetch(`${dev.url}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) })

async function drive(group: string) {
  await api('PUT', `/todos/${group}/a`, { title: 'write', done: false })
  await api('PATCH', `/todos/${group}/a`, [{ type: 'set', path: 'done', value: true }])
  await api('POST', `/todos/${group}/events`, { type: 'ping', data: { n: 1 } })
  await api('DELETE', `/todos/${group}/a`)
}

async function open(kind: 'browser' | 'react', group: string): Promise<Page> {
  const page = await browser.newPage()
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  await page.goto(`http://127.0.0.1:${PAGE_PORT}/${kind}`)
  await page.waitForFunction(() => typeof (globalThis as unknown as { start?: unknown }).start === 'function')
  await page.evaluate(
    ([url, g]) => (globalThis as unknown as { start(u: string, g: string): void }).start(url as string, g as string),
    [`ws://127.0.0.1:${PORT}/`, group],
  )
  expect(errors).toEqual([])
  return page
}

describe("Motia's published browser clients in Chromium", () => {
  it('@motiadev/stream-client-browser sees sync, create, update, a custom event and delete, in order', async () => {
    const group = `b-${randomUUID()}`
    await api('PUT', `/todos/${group}/seed`, { title: 'seed', done: false })
    const page = await open('browser', group)
    const log = () => page.evaluate(() => (globalThis as unknown as { log: string[] }).log)
    await expect.poll(log, { timeout: 10_000 }).toContain('state:seed:false')
    await drive(group)
    await expect
      .poll(async () => (await log()).filter((l) => l.startsWith('state:') || l.startsWith('event:')), { timeout: 10_000 })
      .toEqual(['state:seed:false', 'state:seed:false,a:false', 'state:seed:false,a:true', 'event:{"n":1}', 'state:seed:false'])
    expect((await log()).filter((l) => l.startsWith('item:'))).toEqual(expect.arrayContaining(['item:write:false', 'item:write:true']))
    await page.close()
  })

  it('@motiadev/stream-client-react renders the group, the item and custom events as they change', async () => {
    const group = `r-${randomUUID()}`
    await api('PUT', `/todos/${group}/seed`, { title: 'seed', done: false })
    const page = await open('react', group)
    const text = async (sel: string) => (await page.locator(sel).textContent()) ?? ''
    const todos = () => page.locator('#todos li').allTextContents()
    await expect.poll(todos, { timeout: 10_000 }).toEqual(['seed:false'])
    await api('PUT', `/todos/${group}/a`, { title: 'write', done: false })
    await expect.poll(todos, { timeout: 10_000 }).toEqual(['a:false', 'seed:false'])
    await expect.poll(() => text('#item'), { timeout: 10_000 }).toBe('write:false')
    await api('PATCH', `/todos/${group}/a`, [{ type: 'set', path: 'done', value: true }])
    await expect.poll(() => text('#item'), { timeout: 10_000 }).toBe('write:true')
    await api('POST', `/todos/${group}/events`, { type: 'ping', data: { n: 7 } })
    await expect.poll(() => text('#pings'), { timeout: 10_000 }).toBe('7')
    await api('DELETE', `/todos/${group}/a`)
    await expect.poll(todos, { timeout: 10_000 }).toEqual(['seed:false'])
    await page.close()
  })
})
