#!/usr/bin/env node
// Where the slowest 1% of requests go: drives a closed loop of GET requests at a running server
// while `perf` samples every CPU, then, for each cluster of slow requests (the p99 and above,
// grouped when they start within 50 ms of each other), prints which processes ran meanwhile and
// the top functions of the busiest one. It is how bench/RESULTS.md traced the API benchmark's p99
// to pauses of wrangler's proxy workerd.
//
//   node bench/tail-stalls.mjs [--url http://127.0.0.1:8787/hello] [--n 5000] [--c 10]
//                              [--freq 1000] [--max-seconds 120]
//
// Start the server first (`stepflare dev`, or `wrangler dev` for a bare Worker). Needs `perf`
// (Debian's linux-perf) and the right to sample the whole machine (root, or
// kernel.perf_event_paranoid <= 0). Sends --n requests to --url only, and stops perf by itself.
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { flags } from './lib/args.mjs'
import { pct } from './lib/servers.mjs'

const opt = flags('tail-stalls.mjs', { url: 'http://127.0.0.1:8787/hello', n: 5000, c: 10, freq: 1000, maxSeconds: 120 })
const port = new URL(opt.url).port || '80'

try {
  execFileSync('perf', ['--version'], { stdio: 'ignore' })
} catch {
  console.error('tail-stalls: `perf` is not installed (Debian: apt-get install linux-perf)')
  process.exit(2)
}

const monoMs = () => Number(process.hrtime.bigint()) / 1e6
const dir = mkdtempSync(join(os.tmpdir(), 'tail-stalls-'))
const data = join(dir, 'perf.data')
// -k monotonic: sample times on the clock process.hrtime reads, so requests and samples line up.
const perf = spawn('perf', ['record', '-a', '-k', 'monotonic', '-F', String(opt.freq), '-o', data], { stdio: ['ignore', 'ignore', 'pipe'] })
let perfErr = ''
perf.stderr.on('data', (b) => {
  perfErr += b
})
const perfDone = new Promise((resolve) => perf.on('exit', resolve))
// Ctrl-C stops perf too, from here on.
process.on('SIGINT', () => {
  perf.kill('SIGINT')
  process.exit(130)
})
const guard = setTimeout(() => perf.kill('SIGINT'), opt.maxSeconds * 1000)
await new Promise((r) => setTimeout(r, 500))
if (perf.exitCode !== null) {
  console.error(`tail-stalls: perf record failed:\n${perfErr.trim()}`)
  rmSync(dir, { recursive: true, force: true })
  process.exit(2)
}

// Closed loop, as bench/api-latency.mjs: [start ms (monotonic), latency ms] per answered request.
const recs = []
let errors = 0
let next = 0
const deadline = Date.now() + opt.maxSeconds * 1000
try {
  await Promise.all(
    Array.from({ length: opt.c }, async () => {
      while (next < opt.n && Date.now() < deadline) {
        next++
        const t = monoMs()
        try {
          const r = await fetch(opt.url, { signal: AbortSignal.timeout(30_000) })
          await r.arrayBuffer()
          recs.push([t, monoMs() - t])
        } catch {
          errors++
        }
      }
    }),
  )
} finally {
  clearTimeout(guard)
  perf.kill('SIGINT')
  await perfDone
}
if (recs.length === 0) {
  console.error(`tail-stalls: no request to ${opt.url} was answered (${errors} errors); is the server up?`)
  rmSync(dir, { recursive: true, force: true })
  process.exit(1)
}

const names = new Map()
/** A readable name for a thread: which part of a `wrangler dev` / `stepflare dev` tree it belongs to. */
function describe(pid, comm) {
  const key = `${pid} ${comm}`
  if (!names.has(key)) names.set(key, nameOf(pid, comm))
  return names.get(key)
}

function nameOf(pid, comm) {
  if (pid === String(process.pid)) return 'load generator (this script)'
  let cmd
  try {
    cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
  } catch {
    return `${comm}[${pid}]`
  }
  const exe = cmd[0].split('/').pop()
  // Threads other than the main one (V8's GC and compiler helpers) are named apart.
  const helpers = comm !== exe ? `, ${comm} threads` : ''
  if (exe === 'workerd') return `workerd, ${cmd.join(' ').includes(`entry=127.0.0.1:${port} `) ? "wrangler's proxy" : 'the Worker'}${helpers} [${pid}]`
  if (exe === 'node' && cmd.some((a) => a.includes('wrangler'))) return `node, wrangler${helpers} [${pid}]`
  if (exe === 'node' && cmd.includes('dev')) return `node, dev CLI${helpers} [${pid}]`
  return `${exe}${helpers} [${pid}]`
}

const script = execFileSync('perf', ['script', '-i', data, '-F', 'comm,pid,time,ip,sym'], {
  maxBuffer: 1 << 30,
  stdio: ['ignore', 'pipe', 'ignore'],
}).toString()
rmSync(dir, { recursive: true, force: true })
const samples = []
for (const line of script.split('\n')) {
  // "workerd 21408 43005.837278:  55d0c5a1b2c3 v8::internal::Foo (/path)"; call-chain lines are indented further.
  const m = line.match(/^\s*(\S.*?)\s+(\d+)\s+([\d.]+):\s+[0-9a-f]+\s+(.*)$/)
  if (m) samples.push({ comm: m[1], pid: m[2], ms: Number(m[3]) * 1000, sym: m[4].replace(/\s*\([^)]*\)$/, '').slice(0, 90) })
}

const lat = recs.map((r) => r[1]).sort((a, b) => a - b)
const p99 = pct(lat, 99)
const clusters = []
for (const [start, ms] of recs.filter((r) => r[1] >= p99).sort((a, b) => a[0] - b[0])) {
  const last = clusters.at(-1)
  if (last && start - last.lastStart < 50) {
    last.lastStart = start
    last.n++
    last.end = Math.max(last.end, start + ms)
  } else clusters.push({ start, lastStart: start, n: 1, end: start + ms })
}

const t0 = recs.reduce((a, r) => Math.min(a, r[0]), Infinity)
const sampleMs = 1000 / opt.freq
console.log(
  `${opt.url}: ${recs.length} requests at C=${opt.c} (${errors} failed), p50 ${pct(lat, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${lat.at(-1).toFixed(1)} ms`,
)
console.log(`${clusters.length} clusters of slow requests (>= p99); CPU ms per process while each lasted (${os.cpus().length} CPUs):`)
for (const k of clusters) {
  const inside = samples.filter((s) => s.ms >= k.start && s.ms <= k.end && s.comm !== 'swapper')
  const byProc = new Map()
  for (const s of inside) {
    const key = describe(s.pid, s.comm)
    const e = byProc.get(key) ?? byProc.set(key, { n: 0, syms: new Map() }).get(key)
    e.n++
    e.syms.set(s.sym, (e.syms.get(s.sym) ?? 0) + 1)
  }
  const top = [...byProc].sort((a, b) => b[1].n - a[1].n)
  const span = k.end - k.start
  console.log(
    `\n  +${((k.start - t0) / 1000).toFixed(2)} s: ${k.n} requests over ${span.toFixed(0)} ms; machine busy ${Math.round((inside.length * sampleMs * 100) / span / os.cpus().length)}%`,
  )
  for (const [name, e] of top.slice(0, 4)) console.log(`    ${(e.n * sampleMs).toFixed(0).padStart(5)} ms  ${name}`)
  if (top[0]) {
    const syms = [...top[0][1].syms].sort((a, b) => b[1] - a[1]).slice(0, 4)
    console.log(`           busiest in: ${syms.map(([s, n]) => `${s} (${n})`).join(', ')}`)
  }
}
