/**
 * What `stepflare dev` offers the Worker from the developer's machine, on loopback: `POST /stack`
 * source-maps an error stack through the current dev bundle's map ({@link StackMapper}). The
 * Worker's `POST /__stepflare/dev/stack` forwards to it, so the workbench shows original files.
 * @module
 */
import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { StackMapper } from './stack-map'

const MAX_BODY = 256 * 1024

/**
 * `url` ends in a random path segment only the Worker is told, so no other local client finds the
 * routes. `GET /status` answers `status()`: whether the project's last change failed to load.
 */
export async function startDevTools(mapper: StackMapper, status: () => unknown = () => ({})): Promise<{ url: string; server: Server }> {
  const secretPath = `/${randomBytes(16).toString('hex')}`
  const server = createServer((req, res) => {
    const answer = (code: number, body: unknown) => res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    if (req.method === 'GET' && req.url === `${secretPath}/status`) return answer(200, status())
    if (req.method !== 'POST' || req.url !== `${secretPath}/stack`) return answer(404, { error: 'Not Found' })
    let text = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => {
      text += chunk
      if (text.length > MAX_BODY) req.destroy()
    })
    req.on('end', () => {
      try {
        const { stack } = JSON.parse(text) as { stack?: unknown }
        if (typeof stack !== 'string') return answer(400, { error: 'expected {stack: string}' })
        answer(200, { stack: mapper.map(stack) })
      } catch (err) {
        answer(400, { error: (err as Error).message })
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  server.unref()
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}${secretPath}`, server }
}
