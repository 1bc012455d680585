#!/usr/bin/env node
// Delivery soak (issue 3), over `stepflare dev` on bench/apps/soak: Order (API) → Reserve → Finish.
//
//   node bench/soak.mjs [--chains 10000] [--concurrency 20] [--fail-rate 0.1] [--poison-every 200] [--port 8850]
//
// Two runs on fresh state: without failures, then with `fail-rate` of attempts failing at random
// in both event steps (retried: maxRetries 10, backoff from 100 ms) and every `poison-every`-th
// order failing permanently in Finish. Checks that every other chain completed exactly once
// (Finish completed exactly once per order, from the queue counts and the done set), that the
// dead letters are exactly the poison orders, and prints throughput and end-to-end latency
// (p50/p99) of both runs side by side. Loopback only; bounded in count and time.
import { join } from 'node:path'
import { flags } from './lib/args.mjs'
import { benchTmp, installCleanup, pct, REPO, round, startStepflare, stop, table } from './lib/servers.mjs'

const opt = flags('soak.mjs', { chains: 10_000, concurrency: 20, failRate: 0.1, poisonEvery: 200, port: 8850, timeout: 900, onlyFaulty: false })
const { chains: CHAINS, concurrency: CONC, failRate: FAIL, poisonEvery: POISON_EVERY, port: PORT, timeout: TIMEOUT_S } = opt

installCleanup()
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

async function run(label, failRate, poisonEvery) {
  const server = await startStepflare({
    name: `soak-${label}`,
    root: join(REPO, 'bench/apps/soak'),
    port: PORT,
    persistTo: join(benchTmp(), `soak-${label}`),
    readyPath: '/__stepflare/health',
  })
  const base = `http://127.0.0.1:${PORT}`
  const poison = new Set()
  let next = 0
  let errors = 0
  const t0 = Date.now()
  await Promise.all(
    Array.from({ length: CONC }, async () => {
      while (next < CHAINS) {
        const i = next++
        const id = `o${i}`
        const isPoison = poisonEvery > 0 && i % poisonEvery === poisonEvery - 1
        if (isPoison) poison.add(id)
        const r = await fetch(`${base}/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ id, failRate, poison: isPoison, sentAt: Date.now() }),
        })
        await r.arrayBuffer()
        if (r.status !== 202) errors++
      }
    }),
  )
  const expected = CHAINS - poison.size
  // Poll the cheap signals (chains done, dead letters); the per-step queue counts ask every trace
  // with unfinished work, so they are read once, at the end.
  const deadline = Date.now() + TIMEOUT_S * 1000
  const getJson = async (path) => {
    const r = await fetch(`${base}${path}`)
    return r.ok ? r.json() : null
  }
  while (Date.now() < deadline) {
    const st = await getJson('/stats')
    const dl = await getJson(`/__stepflare/dlq?limit=10000`)
    if (st && dl && st.done + dl.deadLetters.length >= CHAINS) break
    await sleep(1000)
  }
  let q = null
  for (let i = 0; i < 30 && !q?.steps; i++) {
    q = await getJson('/__stepflare/queues')
    if (!q?.steps) await sleep(1000)
  }
  const stats = await (await fetch(`${base}/stats`)).json()
  const dlq = (await (await fetch(`${base}/__stepflare/dlq?limit=10000`)).json()).deadLetters
  await stop(server)
  const finish = q.steps.find((s) => s.step === 'Finish')
  const reserve = q.steps.find((s) => s.step === 'Reserve')
  const deadIds = new Set(dlq.map((d) => d.data.id))
  const lat = Float64Array.from(stats.latencies).sort()
  const windowMs = stats.lastDoneAt - t0
  return {
    label,
    failRate,
    chains: CHAINS,
    httpErrors: errors,
    completedChains: stats.done,
    expectedCompleted: expected,
    finishCompleted: finish.completed,
    reserveCompleted: reserve.completed,
    dead: dlq.length,
    deadAreExactlyPoison: deadIds.size === poison.size && [...poison].every((id) => deadIds.has(id)) && dlq.every((d) => d.step === 'Finish'),
    exactlyOnce: stats.done === expected && finish.completed === expected && reserve.completed === CHAINS,
    throughputPerSec: round((stats.done / windowMs) * 1000, 1),
    e2eP50Ms: round(pct(lat, 50), 0),
    e2eP99Ms: round(pct(lat, 99), 0),
    windowS: round(windowMs / 1000, 1),
  }
}

const ONLY = opt.onlyFaulty
const clean = ONLY ? null : await run('no-failures', 0, 0)
const faulty = await run('10%-failures', FAIL, POISON_EVERY)
const rows = [['run', 'completed', 'dead', 'exactly once', 'dead = poison', 'chains/s', 'e2e p50 ms', 'e2e p99 ms']]
const runs = [clean, faulty].filter(Boolean)
for (const r of runs)
  rows.push([r.label, `${r.completedChains}/${r.expectedCompleted}`, r.dead, r.exactlyOnce, r.deadAreExactlyPoison, r.throughputPerSec, r.e2eP50Ms, r.e2eP99Ms])
console.log(table(rows))
console.log(JSON.stringify({ date: new Date().toISOString(), runs }))
process.exit((clean?.exactlyOnce ?? true) && faulty.exactlyOnce && faulty.deadAreExactlyPoison ? 0 : 1)
