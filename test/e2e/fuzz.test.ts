/**
 * A few thousand generated bad requests against a real `stepflare dev`: random JSON shapes, depths
 * and sizes, content types, query values, paths and methods, at the system routes and an API step.
 * Bounded in count and time. Nothing may answer 500 or more, the server must still run a chain
 * afterwards, and the Worker's memory — its JavaScript heap after a full collection, where a leak
 * in stepflare's code would show — must come back within 10% of where it started. workerd's
 * resident size is printed too but not held to that: its allocator keeps freed pages, and it grows
 * under requests that never reach stepflare's code (bench/RESULTS.md). The seed is printed, so a
 * failure can be replayed with FUZZ_SEED.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DevServer, REPO, startDev, waitForTrace } from './dev-server'
import { heapAfterFullGc } from './worker-heap'

const PORT = 8896
const INSPECTOR = 9273
const COUNT = Number(process.env.FUZZ_COUNT ?? 3000)
const CONCURRENCY = 8
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000)
let dev: DevServer

/** mulberry32: small, seedable, good enough to pick cases. */
function prng(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number) => Math.floor(next() * n)
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T
  return { next, int, pick }
}

type Rand = ReturnType<typeof prng>

const STRINGS = [
  '',
  'a',
  '../../etc/passwd',
  '%00',
  '\u0000',
  '\ud800',
  '😀'.repeat(3),
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  'NaN',
  '-1',
  '1e309',
  ' ',
  'x'.repeat(300),
]

function randomString(r: Rand): string {
  if (r.next() < 0.5) return r.pick(STRINGS)
  let s = ''
  const n = r.int(r.next() < 0.05 ? 20_000 : 40)
  for (let i = 0; i < n; i++) s += String.fromCharCode(r.next() < 0.9 ? 32 + r.int(95) : r.int(0xffff))
  return s
}

function randomJson(r: Rand, depth = 0): unknown {
  const roll = r.next()
  if (depth > 3 && roll < 0.5) return r.pick([null, true, false, 0, -1, 1.5, 2 ** 53 + 1, -1e300, randomString(r)])
  if (roll < 0.1) {
    // a deep chain, sometimes past the limit
    let v: unknown = randomString(r)
    const levels = r.pick([50, 99, 101, 150, 3000])
    for (let i = 0; i < levels; i++) v = r.next() < 0.5 ? [v] : { k: v }
    return v
  }
  if (roll < 0.4) return Array.from({ length: r.int(6) }, () => randomJson(r, depth + 1))
  if (roll < 0.75) return Object.fromEntries(Array.from({ length: r.int(6) }, () => [randomString(r), randomJson(r, depth + 1)]))
  return r.pick([null, true, 0, -0, 3.14, randomString(r)])
}

function randomBody(r: Rand): string {
  const roll = r.next()
  if (roll < 0.6) return JSON.stringify(randomJson(r))
  if (roll < 0.7) return JSON.stringify(randomJson(r)).slice(0, r.int(50))
  if (roll < 0.75) return 'x'.repeat(r.pick([10, 1_100_000]))
  if (roll < 0.85) return `${'['.repeat(r.int(5000))}`
  return randomString(r)
}

const TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/vnd.api+json',
  '',
  'garbage/%E2%98%83',
]
const QUERY_KEYS = ['limit', 'status', 'step', 'flow', 'since', 'traceId', 'trace', 'topic', 'traces', 'after', 'token', 'x']

function randomQuery(r: Rand): string {
  const parts: string[] = []
  for (let i = r.int(4); i > 0; i--)
    parts.push(
      `${encode(r.pick(QUERY_KEYS))}=${encode(r.pick(['abc', '1.5', '-1', '0', '1e9', '99999999999999999999', 'NaN', '', 'running', '5', randomString(r)]))}`,
    )
  return parts.length ? `?${parts.join('&')}` : ''
}

/** Percent-encoded; a lone surrogate cannot be, and yields a malformed escape instead (also worth sending). */
function encode(text: string): string {
  try {
    return encodeURIComponent(text)
  } catch {
    return '%E0%A4%A'
  }
}

function randomSegment(r: Rand): string {
  return encode(randomString(r).slice(0, 200)) || 'x'
}

/**
 * Names that address a Durable Object (a state group, a stream group) come from a fixed set of odd
 * ones: each new name is a new object, which workerd keeps in memory, so fresh names would measure
 * how many objects the fuzz created rather than whether bad input leaks.
 */
const OBJECT_NAMES = [...STRINGS.filter(Boolean), 'ünïcødé', 'a/b', 'g'.repeat(200)].map(encode)

interface Case {
  method: string
  path: string
  type?: string
  body?: string
}

function randomCase(r: Rand): Case {
  const seg = () => randomSegment(r)
  const writeType = () => (r.next() < 0.8 ? 'application/json' : r.pick(TYPES))
  switch (r.int(12)) {
    case 0:
      return {
        method: 'POST',
        path: '/__stepflare/emit',
        type: writeType(),
        body: r.next() < 0.5 ? JSON.stringify({ topic: randomString(r), data: randomJson(r) }) : randomBody(r),
      }
    case 1:
      return { method: 'PUT', path: `/__stepflare/state/${r.pick(OBJECT_NAMES)}/${seg()}`, type: writeType(), body: randomBody(r) }
    case 2:
      return { method: 'DELETE', path: `/__stepflare/state/${r.pick(OBJECT_NAMES)}/${seg()}`, type: 'application/json' }
    case 3:
      return { method: 'GET', path: `/__stepflare/${r.pick(['traces', 'dlq', 'logs', 'streams', 'queues', 'cron', 'state', 'manifest'])}${randomQuery(r)}` }
    case 4:
      return r.next() < 0.5
        ? { method: 'GET', path: `/__stepflare/traces/${seg()}${randomQuery(r)}` }
        : { method: 'GET', path: `/__stepflare/${r.pick(['state', 'streams/notes'])}/${r.pick(OBJECT_NAMES)}${randomQuery(r)}` }
    case 5:
      return { method: r.pick(['POST', 'DELETE']), path: `/__stepflare/dlq/${seg()}${r.next() < 0.5 ? '/redrive' : ''}`, type: writeType() }
    case 6:
      return { method: 'POST', path: `/__stepflare/cron/${seg()}/run`, type: writeType() }
    case 7:
      return {
        method: 'POST',
        path: '/chain',
        type: r.pick(TYPES),
        body: r.next() < 0.3 ? JSON.stringify({ id: randomJson(r), slowMs: randomJson(r) }) : randomBody(r),
      }
    case 8:
      return { method: 'POST', path: `/big-item?bytes=${r.pick(['abc', '-5', '10', '1000000', '2500000'])}`, type: 'application/json' }
    case 9:
      return { method: 'POST', path: '/__stepflare/python/callback', type: 'application/json', body: randomBody(r) }
    case 10:
      return {
        method: 'POST',
        path: '/__stepflare/dev/stack',
        type: writeType(),
        body: r.next() < 0.5 ? JSON.stringify({ stack: randomJson(r) }) : randomBody(r),
      }
    default:
      return {
        method: r.pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD']),
        path: `/${seg()}/${seg()}${randomQuery(r)}`,
        type: r.pick(TYPES),
        body: randomBody(r),
      }
  }
}

async function send(c: Case): Promise<number> {
  const res = await fetch(`${dev.url}${c.path}`, {
    method: c.method,
    headers: c.type ? { 'content-type': c.type } : {},
    body: c.method === 'GET' || c.method === 'HEAD' ? undefined : c.body,
  })
  await res.arrayBuffer()
  return res.status
}

/** The resident memory of the workerd that runs the Worker (wrangler runs a second one, its proxy, on the port). */
function workerdRss(): number {
  for (const pid of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      const pgrp = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[2])
      if (pgrp === dev.child.pid && cmd.includes('workerd') && cmd.includes('serve') && !cmd.includes(`entry=127.0.0.1:${PORT}`)) {
        return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) * 1024
      }
    } catch {
      // gone
    }
  }
  throw new Error('no workerd process found under stepflare dev')
}

async function run(r: Rand, count: number, failures: { case: Case; status: number }[]): Promise<Map<number, number>> {
  const statuses = new Map<number, number>()
  let next = 0
  const cases = Array.from({ length: count }, () => randomCase(r))
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < cases.length) {
        const c = cases[next++] as Case
        const status = await send(c)
        statuses.set(status, (statuses.get(status) ?? 0) + 1)
        if (status >= 500) failures.push({ case: { ...c, body: c.body?.slice(0, 200) }, status })
      }
    }),
  )
  return statuses
}

beforeAll(async () => {
  dev = await startDev(join(REPO, 'test/fixtures/security-app'), PORT, { inspectorPort: INSPECTOR })
})

afterAll(async () => {
  await dev?.stop()
})

describe(`fuzzing stepflare dev (seed ${SEED})`, () => {
  it(`answers ${COUNT} bad requests with no 5xx, keeps working and gives its memory back`, async () => {
    const deadline = Date.now() + 150_000
    const failures: { case: Case; status: number }[] = []
    // Warm up (a different seed), so the baseline includes what any traffic grows once.
    await run(prng(SEED + 1), Number(process.env.FUZZ_WARMUP ?? 1000), failures)
    await new Promise((r) => setTimeout(r, 5000))
    const before = workerdRss()
    const heapBefore = (await heapAfterFullGc(INSPECTOR)).usedBytes
    const statuses = await run(prng(SEED), COUNT, failures)
    expect(Date.now()).toBeLessThan(deadline)
    console.log(`fuzz seed ${SEED}: ${COUNT} requests, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`)
    expect(failures).toEqual([])

    const r = await fetch(`${dev.url}/chain`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: `after-fuzz-${SEED}` }),
    })
    expect(r.status).toBe(202)
    const t = await waitForTrace(dev.url, ((await r.json()) as { traceId: string }).traceId, (x) => x.status !== 'running', 60_000)
    expect(t.status).toBe('completed')

    // The heap settles once the retries the fuzz set off are done; read it for up to 30 s.
    let heapAfter = (await heapAfterFullGc(INSPECTOR)).usedBytes
    for (let i = 0; i < 10 && heapAfter > heapBefore * 1.1; i++) {
      await new Promise((res) => setTimeout(res, 3000))
      heapAfter = (await heapAfterFullGc(INSPECTOR)).usedBytes
    }
    const after = workerdRss()
    const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`
    const pct = (a: number, b: number) => `${((a / b - 1) * 100).toFixed(1)}%`
    console.log(`Worker heap after a full GC: ${mib(heapBefore)} before, ${mib(heapAfter)} after (${pct(heapAfter, heapBefore)})`)
    console.log(`workerd RSS: ${mib(before)} before, ${mib(after)} after (${pct(after, before)})`)
    expect(heapAfter).toBeLessThanOrEqual(heapBefore * 1.1)
  }, 240_000)
})
