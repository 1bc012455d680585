/**
 * Starts `stepflare dev` as a child process (its own process group), waits for "Ready", and stops
 * it — the way a user runs it.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export const REPO = resolve(import.meta.dirname, '../..')
export const CLI = join(REPO, 'cli', 'bin.mjs')

export interface DevServer extends ServerProcess {
  url: string
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

export interface ServerProcess {
  child: ChildProcess
  output: () => string
  /** `signal` to the process group, SIGKILL after 5 s. */
  stop(signal?: NodeJS.Signals): Promise<void>
}

/** Spawns `node <args>` in its own process group, collecting its output. */
export function spawnServer(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): ServerProcess {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', ...options.env },
  })
  let out = ''
  child.stdout?.on('data', (d) => {
    out += d
  })
  child.stderr?.on('data', (d) => {
    out += d
  })
  return {
    child,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.pid === undefined) return
      const exited = new Promise((r) => child.once('exit', r))
      try {
        process.kill(-child.pid, signal)
      } catch {
        // already gone
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))])
      try {
        process.kill(-child.pid, 'SIGKILL')
      } catch {
        // already gone
      }
    },
  }
}

/** Waits for `stepflare dev`'s "Ready on" line; stops the server and throws when it exits or times out. */
export async function waitForReady(server: ServerProcess, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!/Ready on/.test(server.output())) {
    if (server.child.exitCode !== null) throw new Error(`stepflare dev exited with ${server.child.exitCode}:\n${server.output()}`)
    if (Date.now() > deadline) {
      await server.stop()
      throw new Error(`stepflare dev not ready in time:\n${server.output()}`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
}

export async function startDev(
  root: string,
  port: number,
  options: { persistTo?: string; timeoutMs?: number; inspectorPort?: number } = {},
): Promise<DevServer> {
  const persistTo = options.persistTo ?? tempDir('sf-state-')
  const inspector = options.inspectorPort ? ['--inspector-port', String(options.inspectorPort)] : []
  const server = spawnServer([CLI, 'dev', '--root', root, '--port', String(port), '--persist-to', persistTo, ...inspector], { cwd: REPO })
  await waitForReady(server, options.timeoutMs)
  return { url: `http://127.0.0.1:${port}`, ...server }
}

export interface TraceJson {
  traceId: string
  status: string
  runs: {
    step: string
    status: string
    attempt: number
    startedAt: number
    endedAt: number
    logs: { msg: string }[]
    error?: { message: string; stack?: string }
  }[]
  deliveries: { id: string; step: string; status: string; attempts: number }[]
}

export async function waitForTrace(
  url: string,
  traceId: string,
  until: (t: TraceJson) => boolean = (t) => t.status !== 'running',
  timeoutMs = 30_000,
): Promise<TraceJson> {
  const deadline = Date.now() + timeoutMs
  let last: TraceJson | undefined
  while (Date.now() < deadline) {
    const r = await fetch(`${url}/__stepflare/traces/${traceId}`)
    if (r.ok) {
      last = (await r.json()) as TraceJson
      if (until(last)) return last
    }
    await new Promise((res) => setTimeout(res, 100))
  }
  throw new Error(`trace ${traceId} did not settle: ${JSON.stringify(last)}`)
}

export function runCli(args: string[], cwd = REPO): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => {
      stdout += d
    })
    child.stderr.on('data', (d) => {
      stderr += d
    })
    child.on('close', (code) => res({ code: code ?? 1, stdout, stderr }))
  })
}
