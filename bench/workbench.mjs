#!/usr/bin/env node
// What the workbench costs the dev server it observes (the demo under `stepflare dev`).
//
//   node bench/workbench.mjs [--rate 20] [--seconds 30] [--rounds 4] [--chains 10000] [--c 8]
//                            [--port 8868] [--skip-memory] [--out bench/results/workbench.json]
//
// 1. API-step latency, workbench closed vs open. POST /orders (the API step that starts the order
//    chain) at a steady --rate per second for --seconds (open loop: arrivals do not wait for
//    answers), a rate the chain keeps up with, so the numbers are latency and not queueing. Three
//    modes, measured in every round in a rotating order, each after the previous chains finished:
//      closed  no browser page on the workbench;
//      traces  one Chromium tab on the Traces view with "Follow newest" on: the list (polled every
//              3 s) with the newest trace always open (re-read every 1 s while it runs);
//      all     the traces tab plus a Logs tab (polled every 3 s) and a Streams tab on the demo's
//              `orders/board` group (a WebSocket frame per stream change: 3 per order).
//    Reported: p50 / p99 / mean latency, medians over the rounds, the ratio open/closed (target:
//    within 5%), and the CPU seconds the dev server and the browser used. Also the CPU seconds both
//    use over 10 idle seconds in each mode (closed must cost the dev server nothing).
// 2. Memory over --chains order chains, twice, each on a fresh dev server: the workbench closed,
//    then open (traces + logs tabs). Orders go in batches of 500 with --c in flight, and the next
//    batch waits until fewer than 200 chains are unfinished, so the backlog stays bounded. The dev
//    server's resident memory (stepflare CLI + wrangler + workerd) is sampled every 10% and after
//    it settles; and the traces the index holds (retention: 1000 traces, 24 h).
// Bounded: every request times out after 30 s, every wait for chains after 120 s; the servers and
// the browser are stopped on exit, error and SIGINT. Port 8868 only.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import { join, resolve } from 'node:path'
import { chromium } from 'playwright-core'
import { chromiumOptions } from '../test/browser/chromium-options.mjs'
import { flags } from './lib/args.mjs'
import { writeResult } from './lib/report.mjs'
import { cpuDelta, installCleanup, median, pct, REPO, round, sleep, startStepflare, stop, stopAll, table, treeCpu, treePids } from './lib/servers.mjs'

const opt = flags('workbench.mjs', {
  rate: 20,
  seconds: 30,
  rounds: 4,
  chains: 10_000,
  c: 8,
  port: 8868,
  skipMemory: false,
  out: join(REPO, 'bench', 'results', 'workbench.json'),
})
opt.out = resolve(opt.out)

installCleanup()
let browser
process.on('exit', () => browser?.close().catch(() => {}))

const persist = mkdtempSync(join(os.tmpdir(), 'sf-wb-bench-'))
const startDemo = (name) =>
  startStepflare({ name, root: join(REPO, 'examples', 'demo'), port: opt.port, persistTo: join(persist, name), readyPath: '/__stepflare/health' })
let server = await startDemo('latency')
const base = server.base
browser = await chromium.launch(chromiumOptions())
const browserPid = treePids(process.pid).find((pid) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
    return ppid === process.pid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('chrom')
  } catch {
    return false
  }
})

let seq = 0
/** One order; its latency in ms, or null when it failed. */
async function order() {
  const s = performance.now()
  try {
    const r = await fetch(`${base}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: `b${process.pid}-${++seq}`, amount: 1 + (seq % 50) }),
      signal: AbortSignal.timeout(30_000),
    })
    await r.arrayBuffer()
    return r.status === 201 ? performance.now() - s : null
  } catch {
    return null
  }
}

const stats = (lat, errors) => {
  lat.sort((a, b) => a - b)
  return { n: lat.length, errors, p50: pct(lat, 50), p99: pct(lat, 99), mean: lat.reduce((a, b) => a + b, 0) / lat.length }
}

/** Open loop: `rate` orders per second for `seconds`, each sent on time whatever the others do. */
async function paced(rate, seconds) {
  const lat = []
  let errors = 0
  const t0 = performance.now()
  const inFlight = []
  for (let i = 0; i < rate * seconds; i++) {
    const wait = t0 + (i * 1000) / rate - performance.now()
    if (wait > 0) await sleep(wait)
    inFlight.push(order().then((ms) => (ms === null ? errors++ : lat.push(ms))))
  }
  await Promise.all(inFlight)
  return stats(lat, errors)
}

/** Closed loop: `c` orders in flight until `n` are done. */
async function burst(n, c) {
  let sent = 0
  await Promise.all(
    Array.from({ length: c }, async () => {
      while (sent < n) {
        sent++
        await order()
      }
    }),
  )
}

/**
 * Waits until fewer than `below` traces have unfinished work; returns how many still have. (A
 * delivery whose isolate died mid-handler — a reload of the shared dev server — waits for its
 * lease, 15 min: the run goes on and reports it rather than failing.)
 */
async function drain(below = 1, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    // The index's running traces: one cheap read (the queue counts ask every unfinished trace).
    const r = await fetch(`${base}/__stepflare/traces?status=running&limit=1000`).catch(() => null)
    const running = r?.ok ? (await r.json()).traces.length : Infinity
    if (running < below) return 0
    if (Date.now() + 500 >= deadline) {
      console.log(`  (${running} traces still unfinished after ${timeoutMs / 1000} s; going on)`)
      return running
    }
    await sleep(500)
  }
  return -1
}

/** Opens the workbench tabs of a mode; returns a closer. */
async function openWorkbench(mode) {
  if (mode === 'closed') return async () => {}
  const pages = []
  const tab = async (hash) => {
    const p = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    await p.goto(`${base}/__stepflare/${hash}`)
    pages.push(p)
  }
  await tab('#/traces?follow=1')
  if (mode === 'all') {
    await tab('#/logs')
    await tab('#/streams/orders/board')
  }
  await sleep(1500)
  return async () => {
    for (const p of pages) await p.close()
  }
}

const cpu = () => ({ server: treeCpu(server.pid), browser: browserPid ? treeCpu(browserPid) : null })
const cpuSince = (a) => ({
  server: cpuDelta(a.server, treeCpu(server.pid)).totalSec,
  browser: a.browser ? cpuDelta(a.browser, treeCpu(browserPid)).totalSec : null,
})

const rss = () => {
  const out = { total: 0, workerd: 0 }
  for (const pid of treePids(server.pid)) {
    try {
      const kb = Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)?.[1] ?? 0)
      out.total += kb
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('workerd')) out.workerd += kb
    } catch {
      // exited
    }
  }
  return { totalMiB: round(out.total / 1024, 1), workerdMiB: round(out.workerd / 1024, 1) }
}

console.log('warm-up: 300 orders')
await burst(300, opt.c)
await drain()

// Idle: twice per mode, the lower kept (a tick of the demo's per-minute cron step can land in one).
const modes = ['closed', 'traces', 'all']
const idle = Object.fromEntries(modes.map((m) => [m, { server: Infinity, browser: Infinity }]))
for (const mode of [...modes, ...modes]) {
  const close = await openWorkbench(mode)
  const a = cpu()
  await sleep(10_000)
  const d = cpuSince(a)
  idle[mode] = { server: Math.min(idle[mode].server, d.server), browser: Math.min(idle[mode].browser, d.browser ?? Infinity) }
  await close()
}
console.log(`idle CPU seconds over 10 s: ${JSON.stringify(idle)}`)

const results = Object.fromEntries(modes.map((m) => [m, []]))
for (let r = 0; r < opt.rounds; r++) {
  for (const mode of [...modes.slice(r % 3), ...modes.slice(0, r % 3)]) {
    const close = await openWorkbench(mode)
    const a = cpu()
    const res = await paced(opt.rate, opt.seconds)
    Object.assign(res, cpuSince(a))
    await close()
    await drain()
    results[mode].push(res)
    console.log(
      `round ${r + 1} ${mode.padEnd(6)} p50 ${round(res.p50)} ms  p99 ${round(res.p99)} ms  mean ${round(res.mean)} ms  CPU s: server ${res.server}, browser ${res.browser}`,
    )
  }
}
const med = (m, k) => round(median(results[m].map((x) => x[k])))
const summary = Object.fromEntries(
  modes.map((m) => [m, { p50: med(m, 'p50'), p99: med(m, 'p99'), mean: med(m, 'mean'), serverCpuSec: med(m, 'server'), browserCpuSec: med(m, 'browser') }]),
)
const ratio = (m, k) => round(summary[m][k] / summary.closed[k], 3)
console.log(
  `\n${table([
    ['mode', 'p50 ms', 'p99 ms', 'mean ms', 'p50 ratio', 'mean ratio', 'server CPU s', 'browser CPU s'],
    ...modes.map((m) => [
      m,
      summary[m].p50,
      summary[m].p99,
      summary[m].mean,
      ratio(m, 'p50'),
      ratio(m, 'mean'),
      summary[m].serverCpuSec,
      summary[m].browserCpuSec,
    ]),
  ])}`,
)

/** --chains chains on a fresh dev server, the workbench closed or open; resident memory as it goes. */
async function memoryRun(mode) {
  await stop(server)
  server = await startDemo(`memory-${mode}`)
  const close = await openWorkbench(mode === 'open' ? 'traces' : 'closed')
  const logsTab = mode === 'open' ? await browser.newPage() : null
  await logsTab?.goto(`${base}/__stepflare/#/logs`)
  const samples = [{ chains: 0, ...rss() }]
  const every = Math.max(500, Math.floor(opt.chains / 10))
  const started = Date.now()
  for (let done = 0; done < opt.chains; ) {
    const n = Math.min(500, opt.chains - done)
    await burst(n, opt.c)
    done += n
    await drain(200)
    if (done % every === 0 || done === opt.chains) {
      samples.push({ chains: done, ...rss() })
      console.log(`  ${mode} ${done} chains: ${samples.at(-1).totalMiB} MiB (workerd ${samples.at(-1).workerdMiB})`)
    }
  }
  const unfinished = await drain()
  const seconds = round((Date.now() - started) / 1000, 0)
  await sleep(15_000)
  const settled = { chains: opt.chains, settled: true, ...rss() }
  samples.push(settled)
  const retained = (await (await fetch(`${base}/__stepflare/traces?limit=1000`)).json()).traces.length
  await logsTab?.close()
  await close()
  const warm = samples.find((x) => x.chains >= 2 * every) ?? samples[1]
  return {
    mode,
    chains: opt.chains,
    seconds,
    samples,
    growthMiBPer1000AfterWarm: round(((settled.totalMiB - warm.totalMiB) / (opt.chains - warm.chains)) * 1000, 2),
    tracesRetainedInIndex: retained,
    unfinishedAtEnd: unfinished,
  }
}

let memory = null
if (!opt.skipMemory) {
  memory = { closed: await memoryRun('closed'), open: await memoryRun('open') }
  for (const m of [memory.closed, memory.open]) {
    console.log(`\nmemory, workbench ${m.mode} (MiB, whole dev server / workerd), ${m.seconds} s:`)
    console.log(table([['chains', 'total', 'workerd'], ...m.samples.map((x) => [`${x.chains}${x.settled ? ' (settled)' : ''}`, x.totalMiB, x.workerdMiB])]))
    console.log(
      `index holds ${m.tracesRetainedInIndex} traces; growth after warm-up ${m.growthMiBPer1000AfterWarm} MiB per 1000 chains; unfinished at the end: ${m.unfinishedAtEnd}`,
    )
  }
}

const out = {
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memGiB: round(os.totalmem() / 2 ** 30, 1), node: process.version, load: os.loadavg() },
  options: opt,
  idleCpuSeconds10s: idle,
  latency: { summary, rounds: results, ratios: Object.fromEntries(['traces', 'all'].map((m) => [m, { p50: ratio(m, 'p50'), mean: ratio(m, 'mean') }])) },
  memory,
}
writeResult(opt.out, out)
await browser.close()
browser = undefined
await stopAll()
rmSync(persist, { recursive: true, force: true })
