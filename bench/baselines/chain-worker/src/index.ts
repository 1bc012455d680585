/**
 * Baseline for bench/chain.mjs: the demo's order chain hand-written on a bare Worker, with no
 * framework. One queue (plus its dead-letter queue) carries both hops; one SQLite-backed Durable
 * Object per state group ('orders', 'order-stats') keeps a key/value table, like stepflare's
 * StateObject.
 *
 *   POST /orders  validate {id, amount, sentAt?} -> KV('orders').set(id) -> queue {step:'charge'}
 *   queue charge  KV('orders').update(id, status='paid')      -> queue {step:'fulfil'}
 *   queue fulfil  KV('orders').update(id, status='fulfilled') ; KV('order-stats').set(id, {latency, doneAt})
 *   GET /stats    {done, latencies, lastDoneAt}   (the contract of bench/load.mjs)
 *   POST /reset   clears both groups
 */
import { DurableObject } from 'cloudflare:workers'

interface Order {
  id: string
  amount: number
  customer?: string
  sentAt?: number
}

interface ChainMessage {
  step: 'charge' | 'fulfil'
  order: Order
}

interface Env {
  QUEUE: Queue<ChainMessage>
  KV: DurableObjectNamespace<KvObject>
}

/** One key/value group in a Durable Object's SQLite storage. Every method is synchronous SQL, so atomic. */
export class KvObject extends DurableObject<Env> {
  private readonly sql: SqlStorage

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    this.sql = ctx.storage.sql
    this.sql.exec('CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)')
  }

  private read(key: string): Record<string, unknown> | null {
    const row = this.sql.exec<{ value: string }>('SELECT value FROM kv WHERE key = ?', key).toArray()[0]
    return row ? (JSON.parse(row.value) as Record<string, unknown>) : null
  }

  set(key: string, value: unknown): void {
    this.sql.exec('INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', key, JSON.stringify(value))
  }

  /** Shallow merge of `fields` into the stored object (read, modify, write), like a `set` update op. */
  update(key: string, fields: Record<string, unknown>): Record<string, unknown> {
    const next = { ...(this.read(key) ?? {}), ...fields }
    this.set(key, next)
    return next
  }

  values(): unknown[] {
    return this.sql
      .exec<{ value: string }>('SELECT value FROM kv ORDER BY key')
      .toArray()
      .map((r) => JSON.parse(r.value))
  }

  clear(): void {
    this.sql.exec('DELETE FROM kv')
  }
}

const json = (status: number, body: unknown) =>
  new Response(body === null ? null : JSON.stringify(body), { status, headers: body === null ? {} : { 'content-type': 'application/json; charset=utf-8' } })

/** Hand validation of the body, the same rules as the demo's zod schema. */
function validateOrder(body: unknown): Order | string {
  if (typeof body !== 'object' || body === null) return 'expected an object'
  const b = body as Record<string, unknown>
  if (typeof b.id !== 'string' || b.id === '') return 'id: expected a non-empty string'
  if (typeof b.amount !== 'number' || !(b.amount > 0)) return 'amount: expected a positive number'
  if (b.customer !== undefined && typeof b.customer !== 'string') return 'customer: expected a string'
  if (b.sentAt !== undefined && typeof b.sentAt !== 'number') return 'sentAt: expected a number'
  return {
    id: b.id,
    amount: b.amount,
    ...(b.customer !== undefined ? { customer: b.customer as string } : {}),
    ...(b.sentAt !== undefined ? { sentAt: b.sentAt as number } : {}),
  }
}

async function createOrder(request: Request, env: Env): Promise<Response> {
  let body: unknown
  try {
    body = await request.json()
  } catch (err) {
    return json(400, { error: 'Invalid request body', message: (err as Error).message })
  }
  const order = validateOrder(body)
  if (typeof order === 'string') return json(400, { error: 'Invalid request body', message: order })
  await env.KV.getByName('orders').set(order.id, { ...order, status: 'created' })
  await env.QUEUE.send({ step: 'charge', order })
  return json(201, { id: order.id, status: 'created' })
}

async function stats(env: Env): Promise<Response> {
  const done = (await env.KV.getByName('order-stats').values()) as { latency: number | null; doneAt: number }[]
  return json(200, {
    done: done.length,
    latencies: done.flatMap((d) => (d.latency === null ? [] : [d.latency])),
    lastDoneAt: done.reduce((m, d) => Math.max(m, d.doneAt), 0) || undefined,
  })
}

async function handleMessage(msg: ChainMessage, env: Env): Promise<void> {
  const { order } = msg
  if (msg.step === 'charge') {
    await env.KV.getByName('orders').update(order.id, { status: 'paid' })
    await env.QUEUE.send({ step: 'fulfil', order })
    return
  }
  const doneAt = Date.now()
  await env.KV.getByName('orders').update(order.id, { status: 'fulfilled' })
  await env.KV.getByName('order-stats').set(order.id, { latency: order.sentAt ? doneAt - order.sentAt : null, doneAt })
}

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url)
    if (pathname === '/orders' && request.method === 'POST') return createOrder(request, env)
    if (pathname === '/stats' && request.method === 'GET') return stats(env)
    if (pathname === '/reset' && request.method === 'POST') {
      await Promise.all([env.KV.getByName('order-stats').clear(), env.KV.getByName('orders').clear()])
      return json(204, null)
    }
    return json(404, { error: 'Not Found' })
  },

  async queue(batch, env) {
    if (batch.queue.endsWith('-dlq')) {
      for (const m of batch.messages) {
        console.error(JSON.stringify({ level: 'error', msg: 'dead letter', body: m.body }))
        m.ack()
      }
      return
    }
    await Promise.all(
      batch.messages.map(async (m) => {
        try {
          await handleMessage(m.body, env)
          m.ack()
        } catch (err) {
          console.error(JSON.stringify({ level: 'error', msg: 'step failed; retrying', error: String(err) }))
          m.retry({ delaySeconds: 1 })
        }
      }),
    )
  },
} satisfies ExportedHandler<Env, ChainMessage>
