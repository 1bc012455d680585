/**
 * `stepflare dlq list|redrive|discard`: the dead letters of the running dev server (or any
 * deployment, with `--url` and `--token`).
 * @module
 */
import type { DeadLetter } from '../objects/trace/records'
import { CliError } from './errors'
import { color } from './print'

export interface DlqTarget {
  url: string
  token?: string
}

export interface DlqFilter {
  step?: string
  topic?: string
  trace?: string
}

function query(f: DlqFilter): string {
  const q = new URLSearchParams()
  if (f.step) q.set('step', f.step)
  if (f.topic) q.set('topic', f.topic)
  if (f.trace) q.set('traceId', f.trace)
  const s = q.toString()
  return s ? `?${s}` : ''
}

async function call<T>(t: DlqTarget, method: string, path: string): Promise<T> {
  let res: Response
  try {
    res = await fetch(`${t.url}${path}`, { method, headers: { 'x-stepflare-request': 'cli', ...(t.token ? { authorization: `Bearer ${t.token}` } : {}) } })
  } catch {
    throw new CliError(`nothing answers at ${t.url}`, { hint: 'Start the project with `stepflare dev`, or pass --port / --url.' })
  }
  if (res.status === 404 && path.startsWith('/__stepflare/dlq/'))
    throw new CliError(`no dead letter ${path.split('/')[3]}`, { hint: 'List them with `stepflare dlq list`.' })
  if (!res.ok)
    throw new CliError(`${method} ${path} answered ${res.status}`, {
      hint: res.status === 404 ? 'System routes need STEPFLARE_SYSTEM_TOKEN outside dev: pass --token.' : undefined,
    })
  return (await res.json()) as T
}

export async function dlqList(t: DlqTarget, f: DlqFilter, json: boolean): Promise<void> {
  const { deadLetters } = await call<{ deadLetters: DeadLetter[] }>(t, 'GET', `/__stepflare/dlq${query(f)}`)
  if (json) {
    console.log(JSON.stringify(deadLetters, null, 2))
    return
  }
  if (deadLetters.length === 0) {
    console.log('No dead letters.')
    return
  }
  for (const d of deadLetters) {
    console.log(`${color.bold(d.id)}  ${d.step} ← ${d.topic}  ${color.gray(new Date(d.createdAt).toISOString())}  ${d.attempts.length} attempt(s), ${d.reason}`)
    console.log(`  ${color.red(`${d.error.name}: ${d.error.message}`)}`)
    console.log(`  data ${color.gray(JSON.stringify(d.data).slice(0, 200))}`)
  }
  console.log(`${deadLetters.length} dead letter(s). Redrive with \`stepflare dlq redrive <id>\` or \`--all\`.`)
}

export async function dlqRedrive(t: DlqTarget, id: string | undefined, f: DlqFilter & { all?: boolean }): Promise<void> {
  if (!id && !f.all && !f.step && !f.topic && !f.trace)
    throw new CliError('say which dead letters to redrive', { hint: 'Pass an id, or --all, or a filter (--step, --topic, --trace).' })
  const r = id
    ? await call<{ redriven: number }>(t, 'POST', `/__stepflare/dlq/${encodeURIComponent(id)}/redrive`)
    : await call<{ redriven: number }>(t, 'POST', `/__stepflare/dlq/redrive${query(f)}`)
  console.log(`${color.green('Redriven')} ${r.redriven} dead letter(s); each runs again in its original trace.`)
}

export async function dlqDiscard(t: DlqTarget, id: string | undefined, f: DlqFilter & { all?: boolean }): Promise<void> {
  if (!id && !f.all && !f.step && !f.topic && !f.trace)
    throw new CliError('say which dead letters to discard', { hint: 'Pass an id, or --all, or a filter (--step, --topic, --trace).' })
  const r = id
    ? await call<{ discarded: number }>(t, 'DELETE', `/__stepflare/dlq/${encodeURIComponent(id)}`)
    : await call<{ discarded: number }>(t, 'DELETE', `/__stepflare/dlq${query(f)}`)
  console.log(`${color.yellow('Discarded')} ${r.discarded} dead letter(s).`)
}
