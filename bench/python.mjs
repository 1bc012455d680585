#!/usr/bin/env node
// Python steps vs TypeScript steps (issue 5), over `stepflare dev` on bench/apps/python-vs-ts.
//
//   node bench/python.mjs [--n 300] [--throughput 1000] [--concurrency 20] [--port 8855]
//
// 1. Latency: N chains one at a time for each language (alternating), Start (API) → PyWork or
//    TsWork (the same event step in Python and TypeScript: two state writes and a log). Reports the
//    event step's run duration (from the trace: invoke, handler, callbacks) and the end-to-end time
//    from the API call to the step's last state write, p50/p99, and the Python/TypeScript ratios.
// 2. Throughput: 1,000 Python invocations posted at concurrency 20; invocations per second from
//    the first post to the last completion.
// Loopback only; bounded; stops its server.
import { join } from 'node:path'
import { flags } from './lib/args.mjs'
import { benchTmp, installCleanup, pct, REPO, round, startStepflare, stopAll, table } from './lib/servers.mjs'

const { n: N, throughput: THROUGHPUT, concurrency: CONC, port: PORT } = flags('python.mjs', { n: 300, throughput: 1000, concurrency: 20, port: 8855 })
installCleanup()
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

await startStepflare({
  name: 'python',
  root: join(REPO, 'bench/apps/python-vs-ts'),
  port: PORT,
  persistTo: join(benchTmp(), 'python-state'),
  readyPath: '/__stepflare/health',
})
const base = `http://127.0.0.1:${PORT}`
const start = async (lang, n) =>
  (await (await fetch(`${base}/run/${lang}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ n }) })).json()).traceId
const trace = async (id) => (await fetch(`${base}/__stepflare/traces/${id}`)).json()

async function settle(id) {
  for (let i = 0; i < 600; i++) {
    const t = await trace(id)
    if (t.status && t.status !== 'running') return t
    await sleep(5)
  }
  throw new Error(`trace ${id} did not settle`)
}

// warm-up: the runner imports the module on first use
for (const lang of ['py', 'ts']) for (let i = 0; i < 10; i++) await settle(await start(lang, i))

const runMs = { py: [], ts: [] }
const e2eMs = { py: [], ts: [] }
for (let i = 0; i < N; i++) {
  for (const lang of i % 2 ? ['py', 'ts'] : ['ts', 'py']) {
    const t0 = performance.now()
    const t = await settle(await start(lang, i))
    const run = t.runs.find((r) => r.step === (lang === 'py' ? 'PyWork' : 'TsWork'))
    if (run?.status !== 'completed') throw new Error(`${lang} step failed: ${JSON.stringify(run?.error)}`)
    runMs[lang].push(run.endedAt - run.startedAt)
    e2eMs[lang].push(performance.now() - t0)
  }
}
const s = (xs) => {
  const a = Float64Array.from(xs).sort()
  return { p50: round(pct(a, 50), 1), p99: round(pct(a, 99), 1) }
}
const lat = { py: { run: s(runMs.py), e2e: s(e2eMs.py) }, ts: { run: s(runMs.ts), e2e: s(e2eMs.ts) } }

// throughput
const q0 = (await (await fetch(`${base}/__stepflare/queues`)).json()).steps.find((x) => x.step === 'PyWork').completed
let next = 0
const t0 = Date.now()
await Promise.all(
  Array.from({ length: CONC }, async () => {
    while (next < THROUGHPUT) {
      const i = next++
      await start('py', i)
    }
  }),
)
let done = 0
const deadline = Date.now() + 300_000
while (Date.now() < deadline) {
  const q = (await (await fetch(`${base}/__stepflare/queues`)).json()).steps.find((x) => x.step === 'PyWork')
  done = q.completed - q0
  if (done >= THROUGHPUT && q.pending + q.inFlight + q.retrying === 0) break
  await sleep(100)
}
const seconds = (Date.now() - t0) / 1000
await stopAll()

const result = {
  date: new Date().toISOString(),
  latency: lat,
  ratios: {
    runP50: round(lat.py.run.p50 / lat.ts.run.p50, 2),
    runP99: round(lat.py.run.p99 / lat.ts.run.p99, 2),
    e2eP50: round(lat.py.e2e.p50 / lat.ts.e2e.p50, 2),
    e2eP99: round(lat.py.e2e.p99 / lat.ts.e2e.p99, 2),
  },
  throughput: { invocations: THROUGHPUT, completed: done, concurrency: CONC, seconds: round(seconds, 1), perSecond: round(done / seconds, 1) },
}
console.log(
  table([
    ['event step', 'run p50 ms', 'run p99 ms', 'e2e p50 ms', 'e2e p99 ms'],
    ['TypeScript', lat.ts.run.p50, lat.ts.run.p99, lat.ts.e2e.p50, lat.ts.e2e.p99],
    ['Python', lat.py.run.p50, lat.py.run.p99, lat.py.e2e.p50, lat.py.e2e.p99],
    ['Python / TypeScript', result.ratios.runP50, result.ratios.runP99, result.ratios.e2eP50, result.ratios.e2eP99],
  ]),
)
console.log(`throughput: ${done}/${THROUGHPUT} Python invocations in ${round(seconds, 1)} s at concurrency ${CONC}: ${result.throughput.perSecond}/s`)
console.log(JSON.stringify(result))
