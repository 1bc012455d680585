/**
 * The Worker's JavaScript heap, read through the DevTools inspector `stepflare dev --inspector-port`
 * serves. workerd's inspector has no `HeapProfiler.collectGarbage`, but a heap snapshot runs a full
 * collection first, so the size read after one is what the heap really holds.
 */
import WebSocket from 'ws'

export async function heapAfterFullGc(inspectorPort: number): Promise<{ usedBytes: number; snapshotBytes: number }> {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as { webSocketDebuggerUrl?: string }[]
  const url = targets.find((t) => t.webSocketDebuggerUrl)?.webSocketDebuggerUrl
  if (!url) throw new Error(`no inspector target on port ${inspectorPort}`)
  const ws = new WebSocket(url)
  await new Promise((res, rej) => ws.once('open', res).once('error', rej))
  let nextId = 1
  let snapshotBytes = 0
  const pending = new Map<number, (msg: { result?: unknown }) => void>()
  ws.on('message', (raw) => {
    const msg = JSON.parse(String(raw)) as { id?: number; method?: string; params?: { chunk?: string }; result?: unknown }
    if (msg.method === 'HeapProfiler.addHeapSnapshotChunk') snapshotBytes += msg.params?.chunk?.length ?? 0
    if (msg.id && pending.has(msg.id)) {
      pending.get(msg.id)?.(msg)
      pending.delete(msg.id)
    }
  })
  const cdp = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<{ result?: unknown }>((res) => {
      const id = nextId++
      pending.set(id, res)
      ws.send(JSON.stringify({ id, method, params }))
    })
  try {
    await cdp('HeapProfiler.takeHeapSnapshot', { reportProgress: false })
    const usage = (await cdp('Runtime.getHeapUsage')).result as { usedSize: number }
    return { usedBytes: usage.usedSize, snapshotBytes }
  } finally {
    ws.close()
  }
}
