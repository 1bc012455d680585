/**
 * What `stepflare dev` and `stepflare preview` share around the `wrangler dev` they run: relaying
 * its output (filtered, stacks mapped, log records pretty on a terminal) and waiting until the
 * Worker answers.
 * @module
 */
import type { ChildProcess } from 'node:child_process'
import { CliError } from './errors'
import { prettyLogLine } from './print'
import type { StackMapper } from './stack-map'
import { outputFilter, relayLines } from './wrangler-output'

/**
 * Resolves once `url` answers `isUp`; throws when wrangler exits first or `timeoutMs` passes. Each
 * probe is bounded: a server that accepts and never answers must not stretch the wait.
 */
export async function waitForWorker(url: string, child: ChildProcess, timeoutMs = 60_000, isUp: (r: Response) => boolean = (r) => r.ok): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new CliError(`wrangler dev exited with code ${child.exitCode} before it was ready`, { hint: "See wrangler's output above." })
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(Math.max(100, Math.min(2000, deadline - Date.now()))) })
      await r.arrayBuffer()
      if (isUp(r)) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new CliError(`the dev server did not answer on ${url} within ${timeoutMs / 1000} s`)
}

export function pipeLines(
  stream: NodeJS.ReadableStream | null,
  out: NodeJS.WriteStream,
  options: { pretty: boolean; stacks?: StackMapper; onLine?: (line: string) => void },
): void {
  if (!stream) return
  const keep = outputFilter()
  relayLines(stream, out, (raw) => {
    options.onLine?.(raw)
    if (!keep(raw)) return null
    const line = options.stacks ? options.stacks.map(raw) : raw
    return options.pretty ? prettyLogLine(line) : line
  })
}
