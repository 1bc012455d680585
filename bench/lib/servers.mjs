// Starting and stopping the servers under test for the bench scripts (Node >= 20, no dependencies).
//
// Every server is spawned detached, so it leads its own process group; stop() signals the whole
// group (wrangler's node process, workerd, and for `stepflare dev` the CLI above them): SIGTERM,
// then SIGKILL after a grace period. stopAll() runs on normal exit, on errors and on SIGINT/SIGTERM.
// Output goes to a log file (no pipe that could fill up and stall the server).
import { execFileSync, spawn } from 'node:child_process'
import { closeSync, cpSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const WRANGLER = join(REPO, 'node_modules', 'wrangler', 'bin', 'wrangler.js')
export const STEPFLARE = join(REPO, 'cli', 'bin.mjs')

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

const running = new Set()
let tmpRoot = null

/** One temp directory per bench run: logs and --persist-to state. Removed by stopAll() unless keepTmp. */
export function benchTmp() {
  if (!tmpRoot) tmpRoot = mkdtempSync(join(tmpdir(), 'stepflare-bench-'))
  return tmpRoot
}
export const options = { keepTmp: false }

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0)
    return true
  } catch {
    return false
  }
}

function signalGroup(pgid, sig) {
  try {
    process.kill(-pgid, sig)
  } catch {
    // already gone
  }
}

/**
 * Spawns a server and waits until it is ready: its log shows `readyLine` (when given) and
 * GET `base + readyPath` answers 2xx. Throws (after stopping it) if not ready within timeoutMs.
 */
export async function startServer({ name, cmd = process.execPath, args, cwd = REPO, port, readyPath, readyLine, timeoutMs = 120_000, env = {} }) {
  const dir = benchTmp()
  const logPath = join(dir, `${name}.log`)
  const fd = openSync(logPath, 'a')
  const child = spawn(cmd, args, {
    cwd,
    detached: true,
    stdio: ['ignore', fd, fd],
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', ...env },
  })
  closeSync(fd)
  const server = { name, pid: child.pid, port, base: `http://127.0.0.1:${port}`, logPath, child, exited: false, startedAt: Date.now() }
  child.on('exit', (code, signal) => {
    server.exited = true
    server.exitCode = code ?? signal
  })
  running.add(server)
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (server.exited) {
      running.delete(server)
      throw new Error(`${name} exited (${server.exitCode}) before it was ready; log: ${logPath}\n${tail(logPath)}`)
    }
    const lineOk = !readyLine || readFileSync(logPath, 'utf8').includes(readyLine)
    if (lineOk) {
      try {
        const r = await fetch(server.base + readyPath, { signal: AbortSignal.timeout(5000) })
        await r.arrayBuffer()
        if (r.ok) {
          server.readyMs = Date.now() - server.startedAt
          return server
        }
      } catch {
        // not listening yet
      }
    }
    await sleep(200)
  }
  await stop(server)
  throw new Error(`${name} was not ready on ${server.base}${readyPath} within ${timeoutMs / 1000} s; log: ${logPath}\n${tail(logPath)}`)
}

export function tail(path, lines = 30) {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
  } catch {
    return ''
  }
}

/** SIGTERM to the server's process group, SIGKILL after graceMs if anything in it is still alive. */
export async function stop(server, graceMs = 8000) {
  if (!server) return
  signalGroup(server.pid, 'SIGTERM')
  const deadline = Date.now() + graceMs
  while (groupAlive(server.pid) && Date.now() < deadline) await sleep(100)
  if (groupAlive(server.pid)) signalGroup(server.pid, 'SIGKILL')
  const hard = Date.now() + 3000
  while (groupAlive(server.pid) && Date.now() < hard) await sleep(50)
  running.delete(server)
}

export async function stopAll() {
  await Promise.all([...running].map((s) => stop(s)))
  removeCopies()
  if (tmpRoot && !options.keepTmp) {
    try {
      rmSync(tmpRoot, { recursive: true, force: true })
    } catch {
      // best effort
    }
    tmpRoot = null
  }
}

/** Synchronous last resort (process 'exit' handler): SIGKILL every group still running. */
function killAllSync() {
  for (const s of running) signalGroup(s.pid, 'SIGKILL')
  removeCopies()
}

let installed = false
/** Stops every server on SIGINT/SIGTERM, uncaught errors and exit. */
export function installCleanup() {
  if (installed) return
  installed = true
  process.on('exit', killAllSync)
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(sig, async () => {
      console.error(`\n${sig}: stopping servers...`)
      await stopAll()
      process.exit(130)
    })
  }
  process.on('uncaughtException', async (err) => {
    console.error(err)
    await stopAll()
    process.exit(1)
  })
  process.on('unhandledRejection', async (err) => {
    console.error(err)
    await stopAll()
    process.exit(1)
  })
}

/** `wrangler dev` on a plain Worker config, with the same flags `stepflare dev` passes to wrangler. */
export function startWrangler({ name, config, port, persistTo, readyPath, inspectorPort = 0 }) {
  return startServer({
    name,
    args: [
      WRANGLER,
      'dev',
      '--config',
      config,
      '--port',
      String(port),
      '--ip',
      '127.0.0.1',
      '--inspector-port',
      String(inspectorPort),
      '--persist-to',
      persistTo,
      '--show-interactive-dev-session=false',
    ],
    port,
    readyPath,
    readyLine: 'Ready on',
    env: { WRANGLER_LOG_SANITIZE: 'false' },
  })
}

/** `stepflare dev` on a project; ready once it printed its own `Ready on` line. */
export function startStepflare({ name, root, port, persistTo, readyPath }) {
  return startServer({
    name,
    args: [stepflareBin(), 'dev', '--root', root, '--port', String(port), '--persist-to', persistTo, '--json'],
    port,
    readyPath,
    readyLine: 'Ready on',
  })
}

/** Percentile by nearest rank over a sorted array (the same rule as bench/load.mjs). */
export function pct(sorted, p) {
  if (!sorted.length) return null
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[idx]
}

export function median(values) {
  const v = values.filter((x) => typeof x === 'number' && !Number.isNaN(x)).sort((a, b) => a - b)
  if (!v.length) return null
  const m = v.length >> 1
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2
}

export const round = (x, d = 2) => (x == null || Number.isNaN(x) ? null : Math.round(x * 10 ** d) / 10 ** d)

/** A plain-text table: rows of cells, the first row is the header. */
export function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i] ?? '').length)))
  const line = (r) => r.map((c, i) => (i === 0 ? String(c ?? '').padEnd(widths[i]) : String(c ?? '').padStart(widths[i]))).join('  ')
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n')
}

/** Processes still in a server's process group (should be none after stop). */
export function leftovers(pgid) {
  return groupAlive(pgid)
}

/** Process ids of the tree under `root` (root included), from `ps`. */
export function treePids(root) {
  let out
  try {
    out = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' })
  } catch {
    return [root]
  }
  const kids = new Map()
  for (const line of out.trim().split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number)
    if (!kids.has(ppid)) kids.set(ppid, [])
    kids.get(ppid).push(pid)
  }
  const pids = []
  const stack = [root]
  while (stack.length) {
    const p = stack.pop()
    pids.push(p)
    for (const k of kids.get(p) || []) stack.push(k)
  }
  return pids
}

/** CPU seconds (user+system, own + reaped children) used so far by each process of the tree, by command name. */
export function treeCpu(root) {
  const byProc = []
  let total = 0
  for (const pid of treePids(root)) {
    try {
      const s = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ')
      const sec = (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean)
      byProc.push({ pid, sec, what: describeCmd(cmd) })
      total += sec
    } catch {
      // exited meanwhile
    }
  }
  return { total, byProc }
}

function describeCmd(argv) {
  const a = argv.join(' ')
  if (a.includes('workerd')) return a.includes('socket-addr=entry=127.0.0.1:0') ? 'workerd (user worker)' : 'workerd (entry/proxy)'
  if (a.includes('wrangler-dist/cli.js')) return 'wrangler (node)'
  if (a.includes('wrangler/bin/wrangler.js')) return 'wrangler launcher (node)'
  if (a.includes('cli/bin.mjs')) return 'stepflare CLI (node)'
  return argv[0] ?? '?'
}

/** Per-process CPU seconds used between two treeCpu() samples. */
export function cpuDelta(a, b) {
  const before = new Map(a.byProc.map((p) => [p.pid, p.sec]))
  const byWhat = {}
  for (const p of b.byProc) {
    const d = p.sec - (before.get(p.pid) ?? 0)
    byWhat[p.what] = round((byWhat[p.what] ?? 0) + d, 2)
  }
  return { totalSec: round(b.total - a.total, 2), byProcess: byWhat }
}

/** Machine-wide CPU counters from /proc/stat (null elsewhere). */
export function machineCpu() {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number)
    return { idle: f[3] + (f[4] || 0), total: f.slice(0, 8).reduce((a, b) => a + b, 0) }
  } catch {
    return null
  }
}

/** Percentage of machine CPU busy between two machineCpu() samples. */
export function busyPct(a, b) {
  if (!a || !b || b.total <= a.total) return null
  return round(100 * (1 - (b.idle - a.idle) / (b.total - a.total)), 1)
}

/**
 * How busy the machine is before we start anything (another test run would skew the figures on a
 * small machine). Samples for `ms` and warns above `warnPct`.
 */
export async function backgroundLoad(ms = 3000, warnPct = 15) {
  const a = machineCpu()
  await sleep(ms)
  const pctBusy = busyPct(a, machineCpu())
  if (pctBusy != null && pctBusy > warnPct) {
    console.warn(`warning: the machine is already ${pctBusy}% busy before the benchmark starts; figures will be skewed (is something else running?)`)
  }
  return pctBusy
}

/** The commit measured, and whether framework files (outside bench/) differ from it. */
export function gitInfo() {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim()
    const dirty = execFileSync('git', ['status', '--porcelain', '--', '.', ':!bench'], { cwd: REPO, encoding: 'utf8' }).trim()
    return { commit, frameworkDirty: dirty !== '' }
  } catch {
    return { commit: null, frameworkDirty: null }
  }
}

const PROJECT_SKIP = new Set(['.stepflare', '.wrangler', 'node_modules', 'dist'])
// Top-level entries of the repository that the framework does not need at run time.
const REPO_SKIP = new Set(['node_modules', '.git', '.ci', 'bench', 'test', 'test-results', 'docs', 'examples'])

let snapshotRoot = null
const copies = new Set()

function copyDir(src, dest, skip) {
  mkdirSync(dest, { recursive: true })
  for (const e of readdirSync(src, { withFileTypes: true })) {
    if (skip.has(e.name) || e.isSymbolicLink()) continue
    cpSync(join(src, e.name), join(dest, e.name), { recursive: true })
  }
}

/**
 * A frozen copy of the framework as it is in the working tree now (uncommitted changes included),
 * under bench/.work/ so that its node_modules symlink and the projects' imports (zod, hono) resolve
 * to the repository's. `wrangler dev` reloads the Worker when a file it bundled changes: running the
 * benchmark on a snapshot keeps edits made to the framework meanwhile from reloading the server
 * under test mid-run (a reload fails the requests in flight) and pins what is measured.
 * Removed by stopAll().
 */
export function frameworkSnapshot() {
  if (snapshotRoot) return snapshotRoot
  const dest = join(REPO, 'bench', '.work', `snapshot-${process.pid}`)
  rmSync(dest, { recursive: true, force: true })
  copyDir(REPO, dest, REPO_SKIP)
  symlinkSync(join(REPO, 'node_modules'), join(dest, 'node_modules'), 'dir')
  copies.add(dest)
  snapshotRoot = dest
  return dest
}

/**
 * Copies a stepflare project of the repository into the framework snapshot (same relative path)
 * and returns the copy's root. `stepflare dev` regenerates `<root>/.stepflare/`: a private copy
 * also keeps another `stepflare dev` of the same project (a developer's, a test's) from reloading
 * the server under test, and the benchmark from reloading theirs.
 */
export function isolatedCopy(root) {
  const dest = join(frameworkSnapshot(), relative(REPO, root))
  rmSync(dest, { recursive: true, force: true })
  copyDir(root, dest, PROJECT_SKIP)
  return dest
}

function removeCopies() {
  for (const d of copies) {
    try {
      rmSync(d, { recursive: true, force: true })
    } catch {
      // best effort
    }
  }
  copies.clear()
  snapshotRoot = null
}

/** `stepflare dev` of the framework snapshot when one was made, else of the working tree. */
export function stepflareBin() {
  return snapshotRoot ? join(snapshotRoot, 'cli', 'bin.mjs') : STEPFLARE
}

/** How many times wrangler reloaded the server so far (a reload mid-run fails in-flight requests). */
export function reloadCount(server) {
  try {
    return (readFileSync(server.logPath, 'utf8').match(/Reloading local server/g) || []).length
  } catch {
    return null
  }
}
