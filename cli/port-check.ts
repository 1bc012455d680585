/**
 * Before `stepflare dev` starts anything: is its port free? When it is not, say which process holds
 * it (from `/proc` on Linux, `lsof` elsewhere) — otherwise the health check would reach that other
 * server, print "Ready", and wrangler would then die with a workerd stack.
 * @module
 */
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { createServer } from 'node:net'
import { CliError } from './errors'

export class PortInUseError extends CliError {
  constructor(
    readonly port: number,
    readonly holder: string | undefined,
  ) {
    super(`port ${port} is already in use${holder ? ` by ${holder}` : ''}`, {
      hint: `Stop that process, or run on another port: stepflare dev --port ${port + 1} (or PORT=${port + 1}).`,
    })
    this.name = 'PortInUseError'
  }
}

/** Resolves when `port` can be listened on at `host`; rejects with {@link PortInUseError} otherwise. */
export async function checkPortFree(port: number, host = '127.0.0.1'): Promise<void> {
  const inUse = await new Promise<boolean>((resolve, reject) => {
    const server = createServer()
    server.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' || err.code === 'EACCES' ? resolve(true) : reject(err)))
    server.listen(port, host, () => server.close(() => resolve(false)))
  })
  if (inUse) throw new PortInUseError(port, portHolder(port))
}

/** `name (pid N: command line)` of the process listening on `port`, when it can be found. */
export function portHolder(port: number): string | undefined {
  try {
    return process.platform === 'linux' ? fromProc(port) : fromLsof(port)
  } catch {
    return undefined
  }
}

function fromProc(port: number): string | undefined {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`
  const inodes = new Set<string>()
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = ''
    try {
      text = readFileSync(table, 'utf8')
    } catch {
      continue
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/)
      // local address, state 0A = LISTEN, inode in column 10
      if (f[1]?.endsWith(hex) && f[3] === '0A' && f[9]) inodes.add(f[9])
    }
  }
  if (inodes.size === 0) return undefined
  for (const pid of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    let fds: string[]
    try {
      fds = readdirSync(`/proc/${pid}/fd`)
    } catch {
      continue
    }
    for (const fd of fds) {
      let target = ''
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`)
      } catch {
        continue
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1]
      if (inode && inodes.has(inode)) return describe(pid)
    }
  }
  return undefined
}

function describe(pid: string): string {
  const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean)
  const name = readFileSync(`/proc/${pid}/comm`, 'utf8').trim()
  const line = cmd.join(' ')
  return `${name} (pid ${pid}: ${line.length > 120 ? `${line.slice(0, 117)}...` : line})`
}

function fromLsof(port: number): string | undefined {
  const r = spawnSync('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fpc'], { encoding: 'utf8' })
  if (r.status !== 0) return undefined
  const pid = /^p(\d+)$/m.exec(r.stdout)?.[1]
  const name = /^c(.+)$/m.exec(r.stdout)?.[1]
  return pid ? `${name ?? 'a process'} (pid ${pid})` : undefined
}
