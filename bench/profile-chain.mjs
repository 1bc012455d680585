#!/usr/bin/env node
// Where the order chain's Worker CPU goes: a V8 CPU profile of the Worker (through the DevTools
// inspector `stepflare dev --inspector-port` serves) while bench/load.mjs drives the chain.
//
//   node bench/profile-chain.mjs [--n 600] [--concurrency 10] [--root bench/apps/order-chain] [--port 8845] [--top 40] [--hand]
//
// --hand profiles the hand-written chain (bench/baselines/chain-worker under `wrangler dev`) instead,
// so the two per-order figures compare.
// Prints the self time by function (with the bundle line) and by source area (framework folders,
// hono, zod, the user's steps), as a share of the sampled time, and writes the raw profile to
// <tmp>/chain.cpuprofile (open it in Chrome DevTools → Performance). Loopback only; bounded.
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import WebSocket from 'ws'
import { flags } from './lib/args.mjs'
import { benchTmp, installCleanup, REPO, startServer, startWrangler, stepflareBin, stop, table } from './lib/servers.mjs'

const opt = flags('profile-chain.mjs', { n: 600, concurrency: 10, root: 'bench/apps/order-chain', port: 8845, top: 40, hand: false })
const { n: N, concurrency: C, port: PORT, top: TOP } = opt
const ROOT = resolve(REPO, opt.root)
const INSPECTOR = PORT + 1

installCleanup()
const tmp = benchTmp()
const server = opt.hand
  ? await startWrangler({
      name: 'profile-hand-chain',
      config: join(REPO, 'bench', 'baselines', 'chain-worker', 'wrangler.jsonc'),
      port: PORT,
      persistTo: join(tmp, 'state'),
      readyPath: '/stats',
      inspectorPort: INSPECTOR,
    })
  : await startServer({
      name: 'profile-chain',
      args: [
        stepflareBin(),
        'dev',
        '--root',
        ROOT,
        '--port',
        String(PORT),
        '--persist-to',
        join(tmp, 'state'),
        '--json',
        '--inspector-port',
        String(INSPECTOR),
      ],
      port: PORT,
      readyPath: '/__stepflare/health',
      readyLine: 'Ready on',
    })
const base = `http://127.0.0.1:${PORT}`

const targets = await (await fetch(`http://127.0.0.1:${INSPECTOR}/json`)).json()
const target = targets.find((t) => t.webSocketDebuggerUrl) ?? targets[0]
const ws = new WebSocket(target.webSocketDebuggerUrl)
await new Promise((res, rej) => ws.once('open', res).once('error', rej))
let nextId = 1
const pending = new Map()
ws.on('message', (raw) => {
  const msg = JSON.parse(raw)
  if (msg.id && pending.has(msg.id)) {
    pending.get(msg.id)(msg)
    pending.delete(msg.id)
  }
})
const cdp = (method, params = {}) =>
  new Promise((res) => {
    const id = nextId++
    pending.set(id, res)
    ws.send(JSON.stringify({ id, method, params }))
  })

const load = (n) =>
  new Promise((res, rej) => {
    const child = spawn(process.execPath, [join(REPO, 'bench', 'load.mjs'), base, String(n), String(C), '--timeout', '120'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', (d) => {
      out += d
    })
    child.on('exit', (code) => (code === 0 ? res(JSON.parse(out.trim().split('\n').pop())) : rej(new Error(`load.mjs exited ${code}`))))
  })

try {
  await load(100) // warm-up, not profiled
  await cdp('Profiler.enable')
  await cdp('Profiler.setSamplingInterval', { interval: 200 })
  await cdp('Profiler.start')
  const result = await load(N)
  const { result: stopped } = await cdp('Profiler.stop')
  const profile = stopped.profile
  const file = join(tmp, 'chain.cpuprofile')
  writeFileSync(file, JSON.stringify(profile))

  const selfUs = new Map()
  const dt = profile.timeDeltas
  for (let i = 0; i < profile.samples.length; i++) selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + (dt[i] ?? 0))
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0)
  const byFn = new Map()
  const byArea = new Map()
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0
    if (!us) continue
    const f = node.callFrame
    const fnKey = `${f.functionName || '(anonymous)'} ${f.url ? `${f.url.split('/').pop()}:${f.lineNumber + 1}` : ''}`.trim()
    byFn.set(fnKey, (byFn.get(fnKey) ?? 0) + us)
    const area = f.url ? 'bundle (see functions)' : f.functionName.startsWith('(') ? f.functionName : 'runtime (native)'
    byArea.set(area, (byArea.get(area) ?? 0) + us)
  }
  const share = (us) => `${((us / total) * 100).toFixed(1)}%`
  const ms = (us) => (us / 1000).toFixed(0)
  console.log(`load: ${JSON.stringify({ ordersPerSec: result.throughputPerSec ?? result.throughput, e2eP50: result.e2e?.p50 })}`)
  const busy = total - (byArea.get('(idle)') ?? 0)
  console.log(
    `sampled ${ms(total)} ms of Worker thread time over ${N} orders (${(total / 1000 / N).toFixed(2)} ms per order, ${(busy / 1000 / N).toFixed(2)} ms busy)\n`,
  )
  console.log(table([['area', 'self ms', 'share'], ...[...byArea].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, ms(v), share(v)])]))
  console.log()
  console.log(
    table([
      ['function', 'self ms', 'share'],
      ...[...byFn]
        .sort((a, b) => b[1] - a[1])
        .slice(0, TOP)
        .map(([k, v]) => [k.slice(0, 90), ms(v), share(v)]),
    ]),
  )
  console.log(`\nraw profile: ${file}`)
} finally {
  ws.close()
  await stop(server)
}
