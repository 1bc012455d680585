// Baseline for `bench/api-latency.mjs --same-headers`: the bare Hono Worker of ../hono-worker, but
// answering with the headers a stepflare API step sends: the same content type, and an
// `x-trace-id` of the same shape (a counter stands in for the random letters).
import { Hono } from 'hono'

const app = new Hono()
let n = 0

app.get('/hello', (c) =>
  c.body(JSON.stringify({ hello: 'world' }), 200, {
    'content-type': 'application/json; charset=utf-8',
    'x-trace-id': `BENCH${String.fromCharCode(65 + (n++ % 26))}-${String(Date.now()).slice(-7)}`,
  }),
)

export default app
