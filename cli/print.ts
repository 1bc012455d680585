/**
 * What the CLI prints: config problems, the table of routes/topics/crons, log lines. Colours
 * only on a terminal (and never with NO_COLOR).
 * @module
 */
import pc from 'picocolors'
import type { StepModel } from '../sdk/config/model'
import type { ConfigProblem } from '../sdk/config/validate'

export const color = pc

export function formatProblem(p: ConfigProblem): string {
  const tag = p.severity === 'error' ? pc.red('error') : pc.yellow('warning')
  return `${tag} ${pc.bold(p.file)}  ${pc.cyan(p.field)}: ${p.message}`
}

export function printProblems(problems: ConfigProblem[], out: (s: string) => void = (s) => console.error(s)): void {
  const sorted = [...problems].sort((a, b) => (a.severity === b.severity ? a.file.localeCompare(b.file) : a.severity === 'error' ? -1 : 1))
  for (const p of sorted) out(formatProblem(p))
}

function table(rows: string[][]): string[] {
  const widths = rows.reduce<number[]>((w, r) => r.map((c, i) => Math.max(w[i] ?? 0, c.length)), [])
  return rows.map((r) => `  ${r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i] ?? 0) : c)).join('  ')}`)
}

export function describeProject(steps: StepModel[]): string {
  const lines: string[] = []
  const routes = steps.flatMap((s) => s.triggers.flatMap((t) => (t.type === 'http' ? [[t.method, t.path, s.name]] : [])))
  if (routes.length) lines.push(pc.bold('Routes'), ...table(routes.sort((a, b) => (a[1] ?? '').localeCompare(b[1] ?? ''))))
  const topics = new Map<string, string[]>()
  for (const s of steps) for (const t of s.triggers) if (t.type === 'queue') topics.set(t.topic, [...(topics.get(t.topic) ?? []), s.name])
  if (topics.size) lines.push(pc.bold('Topics'), ...table([...topics].map(([t, subs]) => [t, '→', subs.join(', ')])))
  const crons = steps.flatMap((s) => s.triggers.flatMap((t) => (t.type === 'cron' ? [[t.expression, s.name]] : [])))
  if (crons.length) lines.push(pc.bold('Crons'), ...table(crons))
  return lines.join('\n')
}

interface LogLine {
  level?: string
  msg?: string
  traceId?: string
  step?: string
  time?: number
  [k: string]: unknown
}

const LEVEL_COLOR: Record<string, (s: string) => string> = { error: pc.red, warn: pc.yellow, info: pc.green, debug: pc.gray }

/** A JSON log line from the Worker, made readable on a terminal; other lines pass unchanged. */
export function prettyLogLine(line: string): string {
  const start = line.indexOf('{"level"')
  if (start < 0) return line
  let rec: LogLine
  try {
    rec = JSON.parse(line.slice(start)) as LogLine
  } catch {
    return line
  }
  const { level = 'info', msg = '', traceId, step, time, flows: _flows, ...meta } = rec
  const paint = LEVEL_COLOR[level] ?? ((s: string) => s)
  const extra = Object.keys(meta).length ? ` ${pc.gray(JSON.stringify(meta))}` : ''
  const stamp = time ? new Date(time).toISOString().slice(11, 23) : ''
  return `${pc.gray(stamp)} ${paint(level.padEnd(5))} ${step ? pc.cyan(step) : ''}${traceId ? pc.gray(` ${traceId}`) : ''} ${msg}${extra}`
}

/** One progress line ("› bundling the Worker…"), on stderr so JSON on stdout stays clean. */
export function stepLine(step: string): void {
  process.stderr.write(`${color.gray(`› ${step}…`)}\n`)
}
