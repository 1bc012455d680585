#!/usr/bin/env node

// Runtime-agnostic load harness for the "orders" flow (Node >= 18, no dependencies).
//
//   node load.mjs <baseUrl> <N> <C> [--timeout S] [--max-send-s S] [--poll-ms MS] [--pid PID] [--no-reset] [--label TEXT]
//
// Contract with the server under test (any framework, any runtime):
//   POST {base}/orders  body {id: string, amount: number, sentAt: number}  -> 2xx
//   GET  {base}/stats   -> {done: number, latencies: number[] (doneAt - sentAt, ms), lastDoneAt?: epoch ms}
//   POST {base}/reset   (optional; a 404 or error is ignored) clears previous results
//
// Phase 1 sends N orders with C requests in flight and measures per-request HTTP latency and
// API throughput. Phase 2 polls GET /stats every poll-ms (default 100) until done >= N or the
// timeout (default 120 s, counted from the end of phase 1) and reports end-to-end completion
// throughput (orders/s from the first send to the last done) and end-to-end latency percentiles.
// lastDoneAt from the server is used for the end of the window when present; otherwise the time
// at which the harness first saw done >= N (an upper bound within one poll).
// The run is bounded in time: no new order is sent after --max-send-s (default 300 s) and polling
// stops after --timeout; an incomplete run reports sent/completed counts and, as throughput, the
// orders completed per second over the window it observed (flagged complete:false).
//
// With --pid (the server's process id on this machine, Linux only) it also reports the RSS of that
// process and of its whole process tree, idle (before the run) and after the run, and the CPU time
// the tree used during the run (including reaped child processes). Machine-wide CPU utilisation is
// sampled from /proc/stat when present, so you can tell whether the box was saturated.
// Prints exactly one JSON line on stdout.

import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import os from 'node:os'

const argv = process.argv.slice(2)
const positional = []
const opts = { timeout: 120, maxSendS: 300, pollMs: 100, pid: null, reset: true, label: null }
for (let i = 0; i < argv.length; i++) {
  const a = argv[i]
  if (a === '--timeout') opts.timeout = Number(argv[++i])
  else if (a === '--max-send-s') opts.maxSendS = Number(argv[++i])
  else if (a === '--poll-ms') opts.pollMs = Number(argv[++i])
  else if (a === '--pid') opts.pid = Number(argv[++i])
  else if (a === '--no-reset') opts.reset = false
  else if (a === '--label') opts.label = argv[++i]
  else positional.push(a)
}
if (positional.length < 3) {
  console.error('usage: node load.mjs <baseUrl> <N> <C> [--timeout S] [--max-send-s S] [--poll-ms MS] [--pid PID] [--no-reset] [--label TEXT]')
  process.exit(2)
}
const base = positional[0].replace(/\/+$/, '')
const N = Number(positional[1])
const C = Number(positional[2])

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const round = (x, d = 1) => (x == null || Number.isNaN(x) ? null : Math.round(x * 10 ** d) / 10 ** d)
const pct = (sorted, p) => {
  if (!sorted.length) return null
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[idx]
}
const summary = (arr) => {
  const s = Float64Array.from(arr).sort()
  return { p50: round(pct(s, 50)), p95: round(pct(s, 95)), p99: round(pct(s, 99)), max: round(s.length ? s[s.length - 1] : null) }
}

// ---------- process / machine metrics (Linux /proc; degrade to null elsewhere) ----------
const CLK_TCK = 100
function procTable() {
  try {
    const out = execFileSync('ps', ['-eo', 'pid=,ppid=,rss='], { encoding: 'utf8' })
    return out
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/).map(Number))
  } catch {
    return null
  }
}
function treePids(root) {
  const t = procTable()
  if (!t) return null
  const kids = new Map()
  for (const [pid, ppid] of t) {
    if (!kids.has(ppid)) kids.set(ppid, [])
    kids.get(ppid).push(pid)
  }
  const out = []
  const stack = [root]
  while (stack.length) {
    const p = stack.pop()
    out.push(p)
    for (const k of kids.get(p) || []) stack.push(k)
  }
  return { pids: out, rssKb: new Map(t.map(([pid, , rss]) => [pid, rss])) }
}
function rss(root) {
  if (!root) return null
  const tr = treePids(root)
  if (!tr || !tr.rssKb.has(root)) return null
  let tree = 0
  for (const p of tr.pids) tree += tr.rssKb.get(p) || 0
  return { mainMB: round(tr.rssKb.get(root) / 1024), treeMB: round(tree / 1024), treeProcs: tr.pids.length }
}
function cpuTicks(pid) {
  // utime+stime+cutime+cstime of one process (cutime/cstime include its reaped children)
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ')
    return Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])
  } catch {
    return 0
  }
}
function treeCpuTicks(root) {
  if (!root) return null
  const tr = treePids(root)
  if (!tr) return null
  let sum = 0
  for (const p of tr.pids) sum += cpuTicks(p)
  return sum
}
function machineCpu() {
  if (!existsSync('/proc/stat')) return null
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number)
  const idle = line[3] + (line[4] || 0)
  const total = line.slice(0, 8).reduce((a, b) => a + b, 0)
  return { idle, total }
}
const cpuBusyPct = (a, b) => (a && b && b.total > a.total ? round(100 * (1 - (b.idle - a.idle) / (b.total - a.total))) : null)

// ---------- HTTP ----------
async function postJson(path, body) {
  const r = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  await r.arrayBuffer()
  return r.status
}
async function getStats() {
  const r = await fetch(base + '/stats', { signal: AbortSignal.timeout(30000) })
  if (!r.ok) throw new Error(`GET /stats -> ${r.status}`)
  return r.json()
}

// ---------- run ----------
const result = { label: opts.label, base, N, C, node: process.version, cpus: os.cpus().length }
if (opts.reset) {
  try {
    result.resetStatus = await postJson('/reset', {})
  } catch (e) {
    result.resetStatus = String(e.message || e)
  }
}
const pre = await getStats()
if (pre.done !== 0) result.warning = `done was ${pre.done} before the run (reset unsupported?)`
result.rssIdle = rss(opts.pid)

const runTag = Date.now().toString(36)
const httpLat = []
const statusCounts = {}
let errors = 0
let next = 0
const cpu0 = machineCpu()
const tree0 = treeCpuTicks(opts.pid)
const self0 = process.cpuUsage()
const tFirstSend = Date.now()
const hr0 = performance.now()
const sendDeadline = Date.now() + opts.maxSendS * 1000

async function worker() {
  while (true) {
    if (next >= N || Date.now() >= sendDeadline) return
    const i = next++
    const sentAt = Date.now()
    const t = performance.now()
    let st
    try {
      st = await postJson('/orders', { id: `${runTag}-${i}`, amount: (i % 100) + 1, sentAt })
    } catch (e) {
      st = 'ERR:' + (e.cause?.code || e.name)
    }
    httpLat.push(performance.now() - t)
    statusCounts[st] = (statusCounts[st] || 0) + 1
    if (!(typeof st === 'number' && st >= 200 && st < 300)) errors++
  }
}
await Promise.all(Array.from({ length: Math.min(C, N) }, worker))
const postPhaseMs = performance.now() - hr0
const sent = httpLat.length
const accepted = sent - errors
const cpu1 = machineCpu()

result.http = {
  ...summary(httpLat),
  sent,
  throughputRps: round((sent / postPhaseMs) * 1000),
  durationMs: round(postPhaseMs, 0),
  errors,
  status: statusCounts,
  cpuBusyPct: cpuBusyPct(cpu0, cpu1),
}

// Phase 2: poll until done
const pollDeadline = Date.now() + opts.timeout * 1000
let stats = null
let seenAllAt = null
let lastPollAt = null
let polls = 0
let pollErrors = 0
while (Date.now() < pollDeadline) {
  const t = Date.now()
  try {
    stats = await getStats()
    lastPollAt = Date.now()
    polls++
    if (stats.done >= accepted) {
      seenAllAt = Date.now()
      break
    }
  } catch {
    pollErrors++
  }
  const wait = opts.pollMs - (Date.now() - t)
  if (wait > 0) await sleep(wait)
}
const cpu2 = machineCpu()
const tree2 = treeCpuTicks(opts.pid)
const self2 = process.cpuUsage(self0)

const done = stats ? stats.done : 0
const lat = stats && Array.isArray(stats.latencies) ? stats.latencies : []
const hasLast = stats && typeof stats.lastDoneAt === 'number'
// complete: window ends at the last done; incomplete: at the last poll we saw (orders done so far / window)
const windowEnd = seenAllAt ? (hasLast ? stats.lastDoneAt : seenAllAt) : (lastPollAt ?? Date.now())
const e2eMs = windowEnd - tFirstSend
result.e2e = {
  completed: done,
  complete: done >= N && sent === N,
  throughputOps: e2eMs > 0 ? round((done / e2eMs) * 1000) : null,
  durationMs: e2eMs,
  endSource: seenAllAt ? (hasLast ? 'server lastDoneAt' : 'poll observation') : 'timeout',
  ...summary(lat),
  polls,
  pollErrors,
  cpuBusyPct: cpuBusyPct(cpu1, cpu2),
}
result.cpu = {
  machineBusyPctWholeRun: cpuBusyPct(cpu0, cpu2),
  serverTreeCpuSec: tree0 != null && tree2 != null ? round((tree2 - tree0) / CLK_TCK, 2) : null,
  harnessCpuSec: round((self2.user + self2.system) / 1e6, 2),
  wallSec: round((Date.now() - tFirstSend) / 1000, 2),
}
await sleep(opts.pid ? 1000 : 0) // let transient children exit before sampling RSS
result.rssAfter = rss(opts.pid)
console.log(JSON.stringify(result))
process.exit(result.e2e.complete && errors === 0 ? 0 : 1)
