#!/usr/bin/env node
// `stepflare dev` start-up and hot-reload latency (issue 7), on a copy of examples/demo.
//
//   node bench/dev-start.mjs [--runs 5] [--reloads 10] [--port 8845]
//
// Start-up: from spawning `stepflare dev` to the first 200 from GET /orders/x (the demo's own
// route, after validation, generation, wrangler and workerd start); fresh state each run; median
// of the runs. Target: under 3 s on this machine. Hot reload: edit a step file (a changed response
// field) and poll until the new behaviour answers; median and max over the reloads.
// Loopback only; bounded; stops what it starts.
import { spawn } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { flags } from './lib/args.mjs'
import { median, REPO, round } from './lib/servers.mjs'

const { runs: RUNS, reloads: RELOADS, port: PORT } = flags('dev-start.mjs', { runs: 5, reloads: 10, port: 8845 })
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

const work = mkdtempSync(join(REPO, 'test/.tmp/bench-dev-'))
cpSync(join(REPO, 'examples/demo'), work, { recursive: true, filter: (src) => !/[/\\](\.stepflare|\.wrangler)([/\\]|$)/.test(src) })
const url = `http://127.0.0.1:${PORT}`

function start() {
  const persist = mkdtempSync(join(tmpdir(), 'sf-devstart-'))
  const child = spawn(process.execPath, [join(REPO, 'cli/bin.mjs'), 'dev', '--root', work, '--port', String(PORT), '--persist-to', persist, '--json'], {
    detached: true,
    stdio: 'ignore',
  })
  return { child, persist }
}
function stop({ child, persist }) {
  try {
    process.kill(-child.pid, 'SIGKILL')
  } catch {}
  rmSync(persist, { recursive: true, force: true })
}
async function firstOk(path, deadlineMs, check = (r) => r.status === 200 || r.status === 404) {
  const end = Date.now() + deadlineMs
  while (Date.now() < end) {
    try {
      const r = await fetch(url + path)
      const body = await r.text()
      if (check(r, body)) return true
    } catch {}
    await sleep(10)
  }
  return false
}

const startups = []
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now()
  const s = start()
  const ok = await firstOk('/orders/x', 60_000, (r) => r.status === 404 || r.status === 200)
  startups.push(ok ? performance.now() - t0 : Number.NaN)
  stop(s)
  await sleep(500)
}

const s = start()
await firstOk('/orders/x', 60_000)
const file = join(work, 'steps/get-order.step.ts')
const original = readFileSync(file, 'utf8')
const reloads = []
for (let i = 0; i < RELOADS; i++) {
  const marker = `v${i}-${Date.now()}`
  writeFileSync(file, original.replace("{ error: 'order not found' }", `{ error: 'order not found', build: '${marker}' }`))
  const t0 = performance.now()
  const ok = await firstOk('/orders/x', 10_000, (_r, body) => body.includes(marker))
  reloads.push(ok ? performance.now() - t0 : Number.NaN)
  await sleep(300)
}
writeFileSync(file, original)
stop(s)
rmSync(work, { recursive: true, force: true })

const result = {
  date: new Date().toISOString(),
  startupMs: { median: round(median(startups), 0), runs: startups.map((x) => round(x, 0)), targetMs: 3000, met: median(startups) < 3000 },
  hotReloadMs: {
    median: round(median(reloads), 0),
    max: round(Math.max(...reloads.filter((x) => !Number.isNaN(x))), 0),
    missed: reloads.filter((x) => Number.isNaN(x)).length,
    runs: reloads.map((x) => round(x, 0)),
    targetMs: 1000,
  },
}
console.log(
  `stepflare dev start to first 200: median ${result.startupMs.median} ms over ${RUNS} runs (target < 3000 ms: ${result.startupMs.met ? 'met' : 'NOT met'})`,
)
console.log(`hot reload (save to new behaviour): median ${result.hotReloadMs.median} ms, max ${result.hotReloadMs.max} ms over ${RELOADS} edits`)
console.log(JSON.stringify(result))
