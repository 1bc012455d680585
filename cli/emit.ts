/**
 * `stepflare emit --topic T --data JSON`: posts to the running dev server's emit route.
 * @module
 */
import { CliError } from './errors'
import { color } from './print'

export async function emit(o: { topic: string; data: string; group?: string; port: number }): Promise<void> {
  let data: unknown
  try {
    data = JSON.parse(o.data)
  } catch (err) {
    throw new CliError(`--data is not valid JSON: ${(err as Error).message}`, { hint: `Quote it for your shell, e.g. --data '{"id":1}'.` })
  }
  const url = `http://127.0.0.1:${o.port}/__stepflare/emit`
  let res: Response
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ topic: o.topic, data, ...(o.group ? { messageGroupId: o.group } : {}) }),
    })
  } catch {
    throw new CliError(`nothing answers on port ${o.port}`, { hint: 'Start the project with `stepflare dev` (or pass --port).' })
  }
  const body = (await res.json()) as { traceId?: string; deliveries?: number; error?: string; issues?: unknown }
  if (!res.ok) throw new CliError(`emit refused (${res.status}): ${body.error ?? ''} ${JSON.stringify(body.issues ?? '')}`)
  console.log(`${color.green('Emitted')} ${o.topic} → ${body.deliveries ?? 0} subscriber(s), trace ${color.bold(body.traceId ?? '')}`)
}
