#!/usr/bin/env node
import { join } from 'node:path'
// Stream fan-out benchmark (issue 4), over `stepflare dev` on bench/apps/stream-fanout.
//
//   node bench/streams.mjs [--subscribers 1000] [--changes 30] [--sustain-subs 100] [--sustain-s 10] [--port 8840]
//
// 1. Fan-out: N WebSocket subscribers (one socket each, as N browsers) join one group; one change
//    at a time is made through an API step (ctx.streams.ticker.set). For every subscriber and every
//    change it records the delivery latency: receive time minus the frame's publish timestamp
//    (the StreamObject's clock; same machine), and receive time minus the POST's send time.
//    Target: p99 of the publish→receive latency under 100 ms with 1,000 subscribers.
// 2. Sustained: M subscribers on another group; changes are posted back to back (10 in flight) for
//    S seconds; reports changes/s accepted, frames/s delivered, and whether every subscriber saw
//    every change (by sequence number).
// Loopback only; bounded in count and time; stops its server at the end.
import WebSocket from 'ws'
import { flags } from './lib/args.mjs'
import { benchTmp, installCleanup, pct, REPO, round, startStepflare, stopAll, table } from './lib/servers.mjs'

const {
  subscribers: SUBS,
  changes: CHANGES,
  sustainSubs: SUSTAIN_SUBS,
  sustainS: SUSTAIN_S,
  port: PORT,
} = flags('streams.mjs', {
  subscribers: 1000,
  changes: 30,
  sustainSubs: 100,
  sustainS: 10,
  port: 8840,
})

installCleanup()
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

async function subscribe(url, group, n, onFrame) {
  const sockets = []
  for (let i = 0; i < n; i += 100) {
    sockets.push(
      ...(await Promise.all(
        Array.from(
          { length: Math.min(100, n - i) },
          (_, k) =>
            new Promise((resolve, reject) => {
              const ws = new WebSocket(url)
              const timer = setTimeout(() => reject(new Error('join timed out')), 30_000)
              ws.on('error', reject)
              ws.on('open', () => ws.send(JSON.stringify({ type: 'join', data: { streamName: 'ticker', groupId: group, subscriptionId: `s${i + k}` } })))
              ws.on('message', (data) => {
                const f = JSON.parse(String(data))
                if (f.event?.type === 'sync') {
                  clearTimeout(timer)
                  resolve(ws)
                } else onFrame(i + k, f, performance.timeOrigin + performance.now())
              })
            }),
        ),
      )),
    )
  }
  return sockets
}

const summary = (xs) => {
  const s = Float64Array.from(xs).sort()
  return { n: s.length, p50: round(pct(s, 50), 1), p99: round(pct(s, 99), 1), max: round(s[s.length - 1], 1) }
}

await startStepflare({
  name: 'streams',
  root: join(REPO, 'bench/apps/stream-fanout'),
  port: PORT,
  persistTo: join(benchTmp(), 'streams-state'),
  readyPath: '/__stepflare/health',
})
const base = `http://127.0.0.1:${PORT}`
const wsUrl = `ws://127.0.0.1:${PORT}/`
const post = (group, body) =>
  fetch(`${base}/tick/${group}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.arrayBuffer())

// 1. fan-out
const fromPublish = []
const fromSend = []
const sentAt = new Map()
const got = new Map()
const fan = await subscribe(wsUrl, 'fan', SUBS, (_i, f, at) => {
  const n = f.event?.data?.n
  fromPublish.push(at - f.timestamp)
  if (sentAt.has(n)) fromSend.push(at - sentAt.get(n))
  got.set(n, (got.get(n) ?? 0) + 1)
})
for (let n = 0; n < CHANGES; n++) {
  const t = Date.now()
  sentAt.set(n, t)
  await post('fan', { n, sentAt: t })
  const deadline = Date.now() + 10_000
  while ((got.get(n) ?? 0) < SUBS && Date.now() < deadline) await sleep(2)
}
const fanComplete = [...Array(CHANGES).keys()].every((n) => got.get(n) === SUBS)
for (const ws of fan) ws.close()

// 2. sustained
const seen = Array.from({ length: SUSTAIN_SUBS }, () => new Set())
let frames = 0
const sustainLat = []
const sub2 = await subscribe(wsUrl, 'sustain', SUSTAIN_SUBS, (i, f, at) => {
  frames++
  seen[i].add(f.event?.data?.n)
  sustainLat.push(at - f.timestamp)
})
let next = 0
let accepted = 0
const t0 = Date.now()
const stopAt = t0 + SUSTAIN_S * 1000
await Promise.all(
  Array.from({ length: 10 }, async () => {
    while (Date.now() < stopAt) {
      const n = next++
      await post('sustain', { n, sentAt: Date.now() })
      accepted++
    }
  }),
)
const sendMs = Date.now() - t0
const drainDeadline = Date.now() + 15_000
while (seen.some((s) => s.size < accepted) && Date.now() < drainDeadline) await sleep(20)
const deliveredAll = seen.every((s) => s.size === accepted)
for (const ws of sub2) ws.close()
await stopAll()

const fanPub = summary(fromPublish)
const fanSend = summary(fromSend)
const sus = summary(sustainLat)
const result = {
  date: new Date().toISOString(),
  fanout: {
    subscribers: SUBS,
    changes: CHANGES,
    complete: fanComplete,
    publishToReceiveMs: fanPub,
    postToReceiveMs: fanSend,
    targetP99Ms: 100,
    met: fanPub.p99 !== null && fanPub.p99 < 100,
  },
  sustained: {
    subscribers: SUSTAIN_SUBS,
    seconds: round(sendMs / 1000, 1),
    changes: accepted,
    changesPerSec: round((accepted / sendMs) * 1000, 1),
    framesPerSec: round((frames / sendMs) * 1000, 0),
    deliveredAll,
    publishToReceiveMs: sus,
  },
}
console.log(
  table([
    ['measure', 'n', 'p50 ms', 'p99 ms', 'max ms'],
    [`fan-out to ${SUBS}, publish→receive`, fanPub.n, fanPub.p50, fanPub.p99, fanPub.max],
    [`fan-out to ${SUBS}, POST→receive`, fanSend.n, fanSend.p50, fanSend.p99, fanSend.max],
    [`sustained, ${SUSTAIN_SUBS} subs, publish→receive`, sus.n, sus.p50, sus.p99, sus.max],
  ]),
)
console.log(
  `sustained: ${result.sustained.changesPerSec} changes/s to one group, ${result.sustained.framesPerSec} frames/s delivered, every subscriber got every change: ${deliveredAll}`,
)
console.log(`fan-out p99 target (< 100 ms): ${result.fanout.met ? 'met' : 'NOT met'}`)
console.log(JSON.stringify(result))
