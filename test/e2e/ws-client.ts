/** A raw WebSocket test client that records every frame and can wait for one. */
import WebSocket from 'ws'

export interface RawSocket {
  ws: WebSocket
  frames: Record<string, unknown>[]
  send(msg: unknown): void
  waitFor(pred: (f: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>
  close(): void
}

export function openSocket(url: string, protocols?: string[]): Promise<RawSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols)
    const frames: Record<string, unknown>[] = []
    const waiters: { pred: (f: Record<string, unknown>) => boolean; resolve: (f: Record<string, unknown>) => void }[] = []
    ws.on('message', (data) => {
      const f = JSON.parse(String(data)) as Record<string, unknown>
      frames.push(f)
      for (const w of [...waiters]) {
        if (w.pred(f)) {
          waiters.splice(waiters.indexOf(w), 1)
          w.resolve(f)
        }
      }
    })
    ws.on('error', reject)
    ws.on('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)))
    ws.on('open', () =>
      resolve({
        ws,
        frames,
        send: (msg) => ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg)),
        waitFor(pred, timeoutMs = 10_000) {
          const found = frames.find(pred)
          if (found) return Promise.resolve(found)
          return new Promise((res, rej) => {
            const t = setTimeout(() => rej(new Error(`no matching frame in ${timeoutMs} ms; got ${JSON.stringify(frames.slice(-5))}`)), timeoutMs)
            waiters.push({ pred, resolve: (f) => (clearTimeout(t), res(f)) })
          })
        },
        close: () => ws.close(),
      }),
    )
  })
}

export const eventType = (f: Record<string, unknown>) => (f.event as { type?: string } | undefined)?.type
