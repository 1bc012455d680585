#!/usr/bin/env node
// The order chain end to end: the chain as stepflare steps (bench/apps/order-chain: the same work,
// step for step) vs the same chain hand-written on a bare Worker with one Queue and a Durable Object
// (bench/baselines/chain-worker), both under
// `wrangler dev` (the demo under `stepflare dev`), driven by bench/load.mjs.
//
//   node bench/chain.mjs [--n 2000] [--concurrency 1,10,50] [--timeout 180] [--rounds 1] [--warmup 100]
//                        [--hand-port 8813] [--stepflare-port 8814] [--max-seconds 2400]
//                        [--out bench/results/chain.json] [--keep-logs] [--stepflare-root bench/apps/order-chain]
//                        [--max-other-cpu 15] [--retries 1]
//
// Both servers are started at once, each with its own fresh --persist-to directory, and stay up for
// the whole run. stepflare and the project run from a snapshot of the working tree under bench/.work/
// (removed at the end), so that neither edits to the framework nor another `stepflare dev` of the same
// project reload it mid-run (a reload fails the requests in flight). A run during which other processes
// used more than --max-other-cpu % of the machine, or the server reloaded, is run again (--retries).
// After a warm-up of each (--warmup orders, not recorded), for each concurrency C (and each round) the hand-written chain and then the stepflare demo are driven by
// `node bench/load.mjs <base> <N> <C> --timeout <S> --pid <server pid>`; its JSON line gives the
// completion throughput (orders/s, first send to last done), end-to-end latency (sentAt -> step 3),
// HTTP latency of POST /orders, and the RSS/CPU of the server's process tree.
// --stepflare-root runs another stepflare project with the same contract, e.g. examples/demo (the
// chain plus the demo's live-board stream writes, logging and cron: more work than the baseline).
// Target: stepflare within 1.3x of the hand-written chain in completion throughput and e2e p50.
// Bounded: load.mjs bounds itself (--max-send-s 300, --timeout); a load.mjs still running after
// 300 + timeout + 60 s is killed; the whole run aborts after --max-seconds; servers are always stopped.
import { spawn } from 'node:child_process'
import os from 'node:os'
import { join, relative, resolve } from 'node:path'
import { flags } from './lib/args.mjs'
import { abortAfter, machineInfo, writeResult } from './lib/report.mjs'
import {
  backgroundLoad,
  benchTmp,
  gitInfo,
  installCleanup,
  isolatedCopy,
  median,
  options,
  REPO,
  reloadCount,
  round,
  startStepflare,
  startWrangler,
  stopAll,
  table,
} from './lib/servers.mjs'

const opt = flags('chain.mjs', {
  n: 2000,
  concurrency: [1, 10, 50],
  timeout: 180,
  rounds: 1,
  warmup: 100,
  handPort: 8813,
  stepflarePort: 8814,
  maxSeconds: 2400,
  out: join(REPO, 'bench', 'results', 'chain.json'),
  keepLogs: false,
  maxOtherCpu: 15,
  retries: 1,
  stepflareRoot: join(REPO, 'bench', 'apps', 'order-chain'),
})
opt.out = resolve(opt.out)
opt.stepflareRoot = resolve(opt.stepflareRoot)
if (opt.concurrency.some((c) => !Number.isInteger(c) || c < 1)) throw new Error('--concurrency: expected a comma-separated list of positive integers')
options.keepTmp = opt.keepLogs

const LOAD = join(REPO, 'bench', 'load.mjs')
const MAX_SEND_S = 300

installCleanup()
abortAfter(opt.maxSeconds)

/** Runs bench/load.mjs once and returns its parsed JSON line (exit code 1 = incomplete run, still parsed). */
function runLoad(server, n, c, label) {
  const argv = [
    LOAD,
    server.base,
    String(n),
    String(c),
    '--timeout',
    String(opt.timeout),
    '--max-send-s',
    String(MAX_SEND_S),
    '--pid',
    String(server.pid),
    '--label',
    label,
  ]
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => {
      out += d
    })
    child.stderr.on('data', (d) => {
      err += d
    })
    const killer = setTimeout(() => child.kill('SIGKILL'), (MAX_SEND_S + opt.timeout + 60) * 1000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(killer)
      const line = out
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .pop()
      if (!line) return reject(new Error(`load.mjs (${label}) exited ${code} without a result\n${err}`))
      try {
        resolve({ exitCode: code, ...JSON.parse(line) })
      } catch (e) {
        reject(new Error(`load.mjs (${label}): bad JSON: ${e.message}\n${line}`))
      }
    })
  })
}

const pick = (r) => ({
  complete: r.e2e.complete,
  completed: r.e2e.completed,
  throughputOps: r.e2e.throughputOps,
  e2eP50: r.e2e.p50,
  e2eP99: r.e2e.p99,
  httpP50: r.http.p50,
  httpP99: r.http.p99,
  httpRps: r.http.throughputRps,
  httpErrors: r.http.errors,
  serverCpuSec: r.cpu?.serverTreeCpuSec,
  cpuMsPerOrder: r.cpu?.serverTreeCpuSec != null ? round((r.cpu.serverTreeCpuSec * 1000) / Math.max(1, r.e2e.completed), 2) : null,
  machineBusyPct: r.cpu?.machineBusyPctWholeRun,
  harnessCpuSec: r.cpu?.harnessCpuSec,
  rssIdleTreeMB: r.rssIdle?.treeMB,
  rssAfterTreeMB: r.rssAfter?.treeMB,
})

const started = new Date()
const git = gitInfo()
console.log(
  `chain: N=${opt.n} C=${opt.concurrency.join(',')} rounds=${opt.rounds} timeout=${opt.timeout}s warmup=${opt.warmup} (node ${process.version}, ${os.cpus().length} cpus, commit ${git.commit}${git.frameworkDirty ? ' + local changes' : ''})`,
)
const idleBusyPct = await backgroundLoad()
console.log(`machine busy before start: ${idleBusyPct}%`)
console.log(
  `starting both servers at once: hand-written chain (wrangler dev) and stepflare ${relative(REPO, opt.stepflareRoot)} (stepflare dev), fresh state each...`,
)
const tmp = benchTmp()
const [hand, sf] = await Promise.all([
  startWrangler({
    name: 'chain-worker',
    config: join(REPO, 'bench', 'baselines', 'chain-worker', 'wrangler.jsonc'),
    port: opt.handPort,
    persistTo: join(tmp, 'chain-worker-state'),
    readyPath: '/stats',
  }),
  startStepflare({
    name: 'stepflare',
    root: isolatedCopy(opt.stepflareRoot),
    port: opt.stepflarePort,
    persistTo: join(tmp, 'demo-state'),
    readyPath: '/stats',
  }),
])
console.log(`ready: hand-written on ${hand.base} (${hand.readyMs} ms, pid ${hand.pid}), stepflare on ${sf.base} (${sf.readyMs} ms, pid ${sf.pid})`)
const servers = { hand, stepflare: sf }

if (opt.warmup > 0) {
  for (const [name, s] of Object.entries(servers)) {
    const w = await runLoad(s, opt.warmup, 10, `warmup-${name}`)
    console.log(`warm-up ${name}: ${w.e2e.completed}/${opt.warmup} done, ${w.e2e.throughputOps} orders/s, e2e p50 ${w.e2e.p50} ms`)
  }
}

const runs = []
for (let r = 1; r <= opt.rounds; r++) {
  for (const c of opt.concurrency) {
    for (const name of ['hand', 'stepflare']) {
      // A run disturbed by other work on the machine or by a reload is run again (bounded).
      let p
      let res
      for (let attempt = 1; attempt <= 1 + opt.retries; attempt++) {
        const reloads0 = reloadCount(servers[name])
        res = await runLoad(servers[name], opt.n, c, `${name}-c${c}-r${r}`)
        p = pick(res)
        p.reloadsDuringRun = reloadCount(servers[name]) - reloads0
        // CPU used by processes other than the server under test and load.mjs.
        p.otherCpuPct =
          res.cpu?.serverTreeCpuSec != null && res.cpu?.machineBusyPctWholeRun != null
            ? round(res.cpu.machineBusyPctWholeRun - (100 * (res.cpu.serverTreeCpuSec + res.cpu.harnessCpuSec)) / res.cpu.wallSec / os.cpus().length, 1)
            : null
        p.attempt = attempt
        p.disturbed = p.reloadsDuringRun > 0 || (p.otherCpuPct ?? 0) > opt.maxOtherCpu
        if (!p.disturbed) break
        console.warn(
          `C=${c} ${name}: disturbed (other CPU ${p.otherCpuPct}%, reloads ${p.reloadsDuringRun}; a reload fails the requests in flight)${attempt <= opt.retries ? ', running again' : ', kept'}`,
        )
      }
      runs.push({ round: r, c, server: name, ...p, raw: res })
      console.log(
        `round ${r} C=${String(c).padEnd(3)} ${name.padEnd(9)} ${p.throughputOps} orders/s  e2e p50 ${p.e2eP50} p99 ${p.e2eP99} ms  http p50 ${p.httpP50} p99 ${p.httpP99} ms  ${p.completed}/${opt.n} done${p.complete ? '' : ' (INCOMPLETE)'}  cpu ${p.cpuMsPerOrder} ms/order  rss ${p.rssAfterTreeMB} MB  other cpu ${p.otherCpuPct}%  http errors ${p.httpErrors}`,
      )
    }
  }
}

const summary = {}
for (const c of opt.concurrency) {
  summary[c] = {}
  for (const name of ['hand', 'stepflare']) {
    const rs = runs.filter((x) => x.c === c && x.server === name)
    const m = (k) => round(median(rs.map((x) => x[k])), 1)
    summary[c][name] = {
      throughputOps: m('throughputOps'),
      e2eP50: m('e2eP50'),
      e2eP99: m('e2eP99'),
      httpP50: m('httpP50'),
      httpP99: m('httpP99'),
      cpuMsPerOrder: m('cpuMsPerOrder'),
      rssAfterTreeMB: m('rssAfterTreeMB'),
      allComplete: rs.every((x) => x.complete),
      disturbedRunsKept: rs.filter((x) => x.disturbed).length,
    }
  }
  const h = summary[c].hand
  const s = summary[c].stepflare
  const ratios = {
    throughput: round(s.throughputOps / h.throughputOps, 3),
    e2eP50: round(s.e2eP50 / h.e2eP50, 3),
    e2eP99: round(s.e2eP99 / h.e2eP99, 3),
    httpP50: round(s.httpP50 / h.httpP50, 3),
    cpuPerOrder: round(s.cpuMsPerOrder / h.cpuMsPerOrder, 3),
  }
  // Within 1.3x: throughput at least 1/1.3 of the hand-written chain's, e2e p50 at most 1.3x.
  const targets = { throughputMet: ratios.throughput >= 1 / 1.3 && s.allComplete, e2eP50Met: ratios.e2eP50 <= 1.3 && s.allComplete }
  summary[c].ratios = ratios
  summary[c].targets = targets
}

const rows = [['C', 'server', 'orders/s', 'e2e p50 ms', 'e2e p99 ms', 'http p50 ms', 'http p99 ms', 'CPU ms/order', 'RSS MB', 'complete']]
for (const c of opt.concurrency) {
  for (const name of ['hand', 'stepflare']) {
    const x = summary[c][name]
    rows.push([
      c,
      name === 'hand' ? 'hand-written' : 'stepflare',
      x.throughputOps,
      x.e2eP50,
      x.e2eP99,
      x.httpP50,
      x.httpP99,
      x.cpuMsPerOrder,
      x.rssAfterTreeMB,
      x.allComplete ? 'yes' : 'NO',
    ])
  }
  const q = summary[c].ratios
  rows.push([c, 'ratio sf/hand', q.throughput, q.e2eP50, q.e2eP99, q.httpP50, '', q.cpuPerOrder, '', ''])
}
console.log(`\n${opt.rounds > 1 ? `medians over ${opt.rounds} rounds, ` : ''}N=${opt.n}:`)
console.log(table(rows))
const yes = (b) => (b ? 'met' : 'NOT met')
for (const c of opt.concurrency) {
  const t = summary[c].targets
  console.log(
    `C=${c}: target (within 1.3x) throughput ${yes(t.throughputMet)} (ratio ${summary[c].ratios.throughput}), e2e p50 ${yes(t.e2eP50Met)} (ratio ${summary[c].ratios.e2eP50})`,
  )
}

const result = {
  bench: 'chain',
  date: started.toISOString(),
  machine: machineInfo(idleBusyPct),
  git,
  settings: {
    n: opt.n,
    stepflareProject: relative(REPO, opt.stepflareRoot),
    concurrency: opt.concurrency,
    rounds: opt.rounds,
    timeout: opt.timeout,
    warmup: opt.warmup,
    maxOtherCpuPct: opt.maxOtherCpu,
    retries: opt.retries,
    serversRunning: 'both at once; at each C the hand-written chain runs first, then stepflare; stepflare from a snapshot of the working tree',
  },
  startup: { handReadyMs: hand.readyMs, stepflareReadyMs: sf.readyMs },
  targetRule: 'stepflare within 1.3x of the hand-written chain: throughput ratio >= 1/1.3 (0.769) and e2e p50 ratio <= 1.3, with every order completed',
  summary,
  runs,
}
writeResult(opt.out, result)
if (opt.keepLogs) console.log(`logs kept in ${tmp}`)
await stopAll()
process.exit(0)
