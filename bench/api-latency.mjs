#!/usr/bin/env node
// API-step overhead: a bare Hono Worker vs a stepflare API step, both answering GET /hello with
// {"hello":"world"} under `wrangler dev` (the stepflare one under `stepflare dev`).
//
//   node bench/api-latency.mjs [--n 5000] [--c 10] [--rounds 5] [--warmup 500]
//                              [--bare-port 8811] [--stepflare-port 8812] [--max-seconds 900]
//                              [--out bench/results/api-latency.json] [--keep-logs]
//                              [--max-other-cpu 15] [--retries 2] [--aa] [--same-headers]
//
// Both servers are started at once and stay up for the whole run (the one not being measured is
// idle). stepflare runs from a snapshot of the working tree under bench/.work/ (lib/servers.mjs
// frameworkSnapshot), so edits made meanwhile do not reload it. A measurement during which other
// processes used more than --max-other-cpu % of the machine, or the server reloaded, is taken again
// (at most --retries times). After a warm-up of each, every round measures both, alternating which
// goes first, with the same closed-loop load: --n GET /hello requests with --c in flight (Node's fetch, keep-alive).
// Reported per server: latency p50/p99 (ms) over all the rounds' requests together (the median of
// the rounds' own p50/p99 is printed beside it), throughput (req/s) as the median over the rounds,
// and the ratio stepflare/bare. Target: the API step within 10% of the bare Worker.
// Why pooled: a round's p99 is set by its few longest GC pauses, so it swings 0.77-1.38x between
// rounds even for two identical Workers; the pooled p99 is read from five times the requests, and
// each server has the same number of rounds right after its own previous one (bench/RESULTS.md).
// --aa (an A/A check) runs a second bare Hono Worker in stepflare's place: its ratios are the
// measurement's own noise (here, five runs: p50 0.94-1.02, throughput 0.97-1.05, pooled p99
// 0.94-1.04; bench/RESULTS.md).
// --same-headers runs the bare Worker of baselines/hono-worker-headers instead: the same route,
// answering with the headers stepflare sends (charset in the content type, and x-trace-id). It
// separates what those headers cost workerd from what stepflare's request path costs.
// Bounded: each measurement stops sending after 120 s, each request times out after 30 s, and the
// whole run aborts after --max-seconds; servers are stopped on exit, error and SIGINT.
import os from 'node:os'
import { join, resolve } from 'node:path'
import { flags } from './lib/args.mjs'
import { abortAfter, machineInfo, writeResult } from './lib/report.mjs'
import {
  backgroundLoad,
  benchTmp,
  busyPct,
  cpuDelta,
  gitInfo,
  installCleanup,
  isolatedCopy,
  machineCpu,
  median,
  options,
  pct,
  REPO,
  reloadCount,
  round,
  startStepflare,
  startWrangler,
  stopAll,
  table,
  treeCpu,
} from './lib/servers.mjs'

const opt = flags('api-latency.mjs', {
  n: 5000,
  c: 10,
  rounds: 5,
  warmup: 500,
  barePort: 8811,
  stepflarePort: 8812,
  maxSeconds: 900,
  out: join(REPO, 'bench', 'results', 'api-latency.json'),
  keepLogs: false,
  maxOtherCpu: 15,
  retries: 2,
  aa: false,
  sameHeaders: false,
})
opt.out = resolve(opt.out)
options.keepTmp = opt.keepLogs

const MEASURE_MAX_MS = 120_000
const REQUEST_TIMEOUT_MS = 30_000
const EXPECTED = JSON.stringify({ hello: 'world' })

installCleanup()
abortAfter(opt.maxSeconds)

/** Closed loop: n GET requests with c in flight. Returns latency percentiles and throughput. */
async function load(url, n, c) {
  const lat = new Float64Array(n)
  let done = 0
  let next = 0
  let errors = 0
  let wrongBody = 0
  const status = {}
  const deadline = Date.now() + MEASURE_MAX_MS
  const t0 = performance.now()
  async function worker() {
    while (next < n && Date.now() < deadline) {
      next++
      const t = performance.now()
      let st
      try {
        const r = await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })
        const text = await r.text()
        st = r.status
        if (r.ok && text !== EXPECTED) wrongBody++
      } catch (e) {
        st = `ERR:${e.cause?.code || e.name}`
      }
      lat[done++] = performance.now() - t
      status[st] = (status[st] || 0) + 1
      if (st !== 200) errors++
    }
  }
  await Promise.all(Array.from({ length: Math.min(c, n) }, worker))
  const ms = performance.now() - t0
  const sorted = lat.slice(0, done).sort()
  return {
    latencies: sorted,
    requests: done,
    errors,
    wrongBody,
    status,
    durationMs: round(ms, 0),
    throughputRps: round((done / ms) * 1000, 1),
    p50: round(pct(sorted, 50), 2),
    p90: round(pct(sorted, 90), 2),
    p99: round(pct(sorted, 99), 2),
    max: round(sorted[done - 1], 2),
  }
}

async function measure(server, n, c) {
  const cpu0 = treeCpu(server.pid)
  const reloads0 = reloadCount(server)
  const m0 = machineCpu()
  const self0 = process.cpuUsage()
  const r = await load(`${server.base}/hello`, n, c)
  r.machineBusyPct = busyPct(m0, machineCpu())
  const self = process.cpuUsage(self0)
  r.loadGenCpuSec = round((self.user + self.system) / 1e6, 2)
  r.reloadsDuringRun = reloadCount(server) - reloads0
  if (r.reloadsDuringRun > 0) console.warn(`warning: wrangler reloaded ${server.name} during this measurement (a file it watches changed)`)
  const cpu = cpuDelta(cpu0, treeCpu(server.pid))
  r.serverCpuSec = cpu.totalSec
  r.serverCpuMsPerReq = round((cpu.totalSec * 1000) / Math.max(1, r.requests), 3)
  r.serverCpuByProcess = cpu.byProcess
  // CPU used by processes other than the server under test and this script (another workload on the machine skews the figures).
  r.otherCpuPct =
    r.machineBusyPct == null ? null : round(r.machineBusyPct - (100 * (cpu.totalSec + r.loadGenCpuSec)) / (r.durationMs / 1000) / os.cpus().length, 1)
  return r
}

const started = new Date()
const git = gitInfo()
console.log(
  `api-latency: N=${opt.n} C=${opt.c} rounds=${opt.rounds} warmup=${opt.warmup} (node ${process.version}, ${os.cpus().length} cpus, commit ${git.commit}${git.frameworkDirty ? ' + local changes' : ''})`,
)
const idleBusyPct = await backgroundLoad()
console.log(`machine busy before start: ${idleBusyPct}%`)
console.log('starting both servers at once: bare Hono Worker (wrangler dev) and stepflare api-hello (stepflare dev)...')
const tmp = benchTmp()
const bareConfig = join(REPO, 'bench', 'baselines', opt.sameHeaders ? 'hono-worker-headers' : 'hono-worker', 'wrangler.jsonc')
if (opt.sameHeaders) console.log("baseline: the bare Hono Worker answers with stepflare's headers (baselines/hono-worker-headers)")
const [bare, sf] = await Promise.all([
  startWrangler({
    name: 'hono-worker',
    config: bareConfig,
    port: opt.barePort,
    persistTo: join(tmp, 'hono-state'),
    readyPath: '/hello',
  }),
  opt.aa
    ? startWrangler({
        name: 'hono-worker-2',
        config: bareConfig,
        port: opt.stepflarePort,
        persistTo: join(tmp, 'hono-state-2'),
        readyPath: '/hello',
      })
    : startStepflare({
        name: 'api-hello',
        root: isolatedCopy(join(REPO, 'bench', 'apps', 'api-hello')),
        port: opt.stepflarePort,
        persistTo: join(tmp, 'api-hello-state'),
        readyPath: '/hello',
      }),
])
if (opt.aa) console.log('A/A check: "stepflare" below is a second bare Hono Worker; the ratios are the noise of the measurement')
console.log(`ready: bare on ${bare.base} (${bare.readyMs} ms), stepflare on ${sf.base} (${sf.readyMs} ms)`)

const servers = { bare, stepflare: sf }
for (const [name, s] of Object.entries(servers)) {
  const r = await fetch(`${s.base}/hello`)
  const text = await r.text()
  if (r.status !== 200 || text !== EXPECTED) throw new Error(`${name}: GET /hello answered ${r.status} ${text}, expected 200 ${EXPECTED}`)
  const w = await load(`${s.base}/hello`, opt.warmup, opt.c)
  console.log(`warm-up ${name}: ${w.requests} requests, p50 ${w.p50} ms, ${w.throughputRps} req/s, errors ${w.errors}`)
}

const rounds = []
/** Every kept measurement's latencies, per server: the pooled percentiles are read from them. */
const pooled = { bare: [], stepflare: [] }
for (let i = 0; i < opt.rounds; i++) {
  const order = i % 2 === 0 ? ['bare', 'stepflare'] : ['stepflare', 'bare']
  const round_ = { round: i + 1, order }
  for (const name of order) {
    // A measurement disturbed by other work on the machine or by a reload is taken again (bounded).
    let r
    for (let attempt = 1; attempt <= 1 + opt.retries; attempt++) {
      r = await measure(servers[name], opt.n, opt.c)
      r.attempt = attempt
      r.disturbed = r.reloadsDuringRun > 0 || (r.otherCpuPct ?? 0) > opt.maxOtherCpu
      if (!r.disturbed) break
      console.warn(
        `round ${i + 1} ${name}: disturbed (other CPU ${r.otherCpuPct}%, reloads ${r.reloadsDuringRun})${attempt <= opt.retries ? ', measuring again' : ', kept'}`,
      )
    }
    pooled[name].push(r.latencies)
    delete r.latencies
    round_[name] = r
    console.log(
      `round ${i + 1} ${name.padEnd(9)} p50 ${r.p50} ms  p99 ${r.p99} ms  ${r.throughputRps} req/s  server cpu ${r.serverCpuMsPerReq} ms/req  machine ${r.machineBusyPct}% busy (other ${r.otherCpuPct}%)  errors ${r.errors}${r.wrongBody ? ` wrongBody ${r.wrongBody}` : ''}`,
    )
  }
  rounds.push(round_)
}

const med = (name, key) => round(median(rounds.map((r) => r[name][key])), 2)
function pooledPct(name, p) {
  const all = new Float64Array(pooled[name].reduce((n, a) => n + a.length, 0))
  let at = 0
  for (const a of pooled[name]) {
    all.set(a, at)
    at += a.length
  }
  return round(pct(all.sort(), p), 2)
}
const summary = {}
for (const name of ['bare', 'stepflare']) {
  summary[name] = {
    p50: pooledPct(name, 50),
    p99: pooledPct(name, 99),
    p50RoundMedian: med(name, 'p50'),
    p99RoundMedian: med(name, 'p99'),
    throughputRps: med(name, 'throughputRps'),
    serverCpuMsPerReq: med(name, 'serverCpuMsPerReq'),
    errors: rounds.reduce((a, r) => a + r[name].errors, 0),
    disturbedRoundsKept: rounds.filter((r) => r[name].disturbed).length,
  }
}
const ratio = (k) => round(summary.stepflare[k] / summary.bare[k], 3)
const ratios = {
  p50: ratio('p50'),
  p99: ratio('p99'),
  throughput: ratio('throughputRps'),
  cpuPerReq: ratio('serverCpuMsPerReq'),
  p50RoundMedian: ratio('p50RoundMedian'),
  p99RoundMedian: ratio('p99RoundMedian'),
}
// Within 10%: latency at most 1.10x the bare Worker's, throughput at least 1/1.10 of it.
const targets = {
  rule: 'stepflare within 10% of the bare Worker: p50 and p99 ratio <= 1.10, throughput ratio >= 1/1.10 (0.909)',
  p50Met: ratios.p50 <= 1.1,
  p99Met: ratios.p99 <= 1.1,
  throughputMet: ratios.throughput >= 1 / 1.1,
}
targets.allMet = targets.p50Met && targets.p99Met && targets.throughputMet

console.log(`\n${opt.rounds} round(s), N=${opt.n} C=${opt.c}: latency over all rounds' requests; req/s and CPU, median over rounds`)
const row = (label, x) => [label, x.p50, x.p99, x.throughputRps, x.serverCpuMsPerReq, x.p50RoundMedian, x.p99RoundMedian, x.errors ?? '']
console.log(
  table([
    ['server', 'p50 ms', 'p99 ms', 'req/s', 'server CPU ms/req', 'p50 round median', 'p99 round median', 'errors'],
    row('bare Hono Worker', summary.bare),
    row(opt.aa ? 'bare Hono Worker (2nd)' : 'stepflare API step', summary.stepflare),
    row('ratio stepflare/bare', { ...ratios, throughputRps: ratios.throughput, serverCpuMsPerReq: ratios.cpuPerReq }),
  ]),
)
const yes = (b) => (b ? 'met' : 'NOT met')
console.log(`target (within 10%): p50 ${yes(targets.p50Met)}, p99 ${yes(targets.p99Met)}, throughput ${yes(targets.throughputMet)}`)

const result = {
  bench: 'api-latency',
  date: started.toISOString(),
  machine: machineInfo(idleBusyPct),
  git,
  settings: {
    n: opt.n,
    c: opt.c,
    rounds: opt.rounds,
    warmup: opt.warmup,
    maxOtherCpuPct: opt.maxOtherCpu,
    retries: opt.retries,
    serversRunning: 'both at once, alternating order per round; stepflare from a snapshot of the working tree',
    aa: opt.aa,
    sameHeaders: opt.sameHeaders,
  },
  startup: { bareReadyMs: bare.readyMs, stepflareReadyMs: sf.readyMs },
  summary,
  ratios,
  targets,
  rounds,
}
writeResult(opt.out, result)
if (opt.keepLogs) console.log(`logs kept in ${tmp}`)
await stopAll()
process.exit(0)
