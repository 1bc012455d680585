// Baseline for bench/api-latency.mjs: a bare Hono Worker with the same route as bench/apps/api-hello.
import { Hono } from 'hono'

const app = new Hono()

app.get('/hello', (c) => c.json({ hello: 'world' }))

export default app
