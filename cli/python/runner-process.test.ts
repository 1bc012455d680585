import { createServer } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { PythonRunner, RunnerStartError, startRunner } from './runner-process'

const FIXTURE = join(__dirname, '..', '..', 'examples', 'mixed-flow')
const quiet = { onOutput: () => {} }

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('PythonRunner', () => {
  const started: PythonRunner[] = []
  afterEach(async () => {
    await Promise.all(started.splice(0).map((r) => r.stop()))
  })

  it('starts on a free port, answers /health, restarts and stops its process', async () => {
    const runner = await startRunner(FIXTURE, quiet)
    started.push(runner)
    const health = await runner.health()
    expect(health.steps.sort()).toEqual(['Explode', 'ScoreOrder'])
    expect(runner.url).toBe(`http://127.0.0.1:${runner.port}`)
    const first = runner.pid!
    const port = runner.port
    await runner.restart()
    expect(runner.pid).not.toBe(first)
    expect(runner.port).toBe(port)
    expect(alive(first)).toBe(false)
    const second = runner.pid!
    await runner.stop()
    expect(alive(second)).toBe(false)
    expect(runner.running).toBe(false)
  })

  it('tells the owner when the runner dies on its own', async () => {
    let exited: unknown
    const runner = await startRunner(FIXTURE, { ...quiet, onExit: (code, signal) => (exited = { code, signal }) })
    started.push(runner)
    process.kill(runner.pid!, 'SIGKILL')
    await new Promise((r) => setTimeout(r, 300))
    expect(exited).toEqual({ code: null, signal: 'SIGKILL' })
    expect(runner.running).toBe(false)
  })

  it('fails to start with the runner output when the port is taken', async () => {
    const blocker = createServer().listen(0, '127.0.0.1')
    await new Promise((r) => blocker.once('listening', r))
    const port = (blocker.address() as { port: number }).port
    try {
      const runner = new PythonRunner(FIXTURE, { ...quiet, port })
      started.push(runner)
      const err = await runner.start().catch((e) => e)
      expect(err).toBeInstanceOf(RunnerStartError)
      expect(err.message).toMatch(/exited \(code 1.*before it was ready[\s\S]*address already in use/i)
    } finally {
      blocker.close()
    }
  })
})
