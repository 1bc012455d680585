/**
 * `stepflare dev`'s start: a busy port is named with the process holding it before anything starts,
 * and a start that fails leaves nothing behind (no wrangler holding the port).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CLI, REPO, runCli, spawnServer, tempDir, waitForReady } from './dev-server'

const STEP = `export const config = { type: 'api', name: 'A', path: '/a', method: 'GET', emits: [] }
export const handler = async () => ({ status: 200, body: {} })
`

function project(extra = ''): string {
  const root = tempDir('sf-start-')
  mkdirSync(join(root, 'steps'))
  writeFileSync(join(root, 'steps', 'a.step.ts'), STEP + extra)
  return root
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = createServer()
    s.once('error', () => resolve(true))
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(false)))
  })

describe('stepflare dev start', () => {
  it('names the process holding a busy port and starts nothing', async () => {
    const other = createServer().listen(8883, '127.0.0.1')
    await new Promise((r) => other.once('listening', r))
    try {
      const r = await runCli(['dev', '--root', project(), '--port', '8883'])
      expect(r.code).toBe(1)
      expect(r.stderr).toContain(`port 8883 is already in use by node (pid ${process.pid}:`)
      expect(r.stderr).toContain('stepflare dev --port 8884')
      expect(r.stdout).not.toContain('Ready')
    } finally {
      other.close()
    }
  })

  it('warns, and still starts, in a folder with no steps', async () => {
    const root = tempDir('sf-empty-')
    const dev = spawnServer([CLI, 'dev', '--root', root, '--port', '8884'], { cwd: REPO })
    try {
      await waitForReady(dev)
      expect(dev.output()).toContain(`No step files in ${root}: steps are *.step.ts, *_step.ts or *_step.py files under steps/ or src/`)
    } finally {
      await dev.stop()
    }
  })

  it('stops everything it started when the Worker fails to start', async () => {
    const root = project("if (typeof navigator !== 'undefined' && navigator.userAgent === 'Cloudflare-Workers') throw new Error('boom in workerd')\n")
    const r = await runCli(['dev', '--root', root, '--port', '8885'])
    expect(r.code).toBe(1)
    expect(`${r.stdout}${r.stderr}`).toContain('boom in workerd')
    expect(r.stderr).toContain('wrangler dev exited with code 1 before it was ready')
    expect(await listening(8885)).toBe(false)
  })
})
