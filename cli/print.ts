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

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes start with ESC
const ANSI = /\x1b\[[0-9;]*m/g

interface ErrorLike {
  name?: string
  message?: string
  stack?: string
  code?: string
  cause?: unknown
}

function isErrorLike(v: unknown): v is ErrorLike {
  return typeof v === 'object' && v !== null && (typeof (v as ErrorLike).message === 'string' || typeof (v as ErrorLike).stack === 'string')
}

/** An error's message and stack, indented under its record: the stack's own first line is the message. */
function errorLines(err: ErrorLike, indent = '    '): string[] {
  const head = `${err.name ?? 'Error'}: ${err.message ?? ''}${err.code ? pc.gray(` (${err.code})`) : ''}`
  const frames = (err.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l))
  const lines = [`${indent}${pc.red(head)}`, ...frames.map((f) => `${indent}${pc.gray(f.trim().replace(/^at /, '  at '))}`)]
  if (isErrorLike(err.cause)) lines.push(`${indent}${pc.gray('caused by')}`, ...errorLines(err.cause, `${indent}  `))
  return lines
}

/**
 * A JSON log line from the Worker, made readable on a terminal: time, level, step, trace and
 * message on one line, other fields after it, and an `error` field's message and stack (already
 * mapped to the user's files) on the lines below. Wrangler's prefix and colour codes around the
 * record are dropped. Any other line passes unchanged.
 */
export function prettyLogLine(line: string): string {
  const plain = line.replace(ANSI, '')
  const start = plain.indexOf('{"level"')
  if (start < 0) return line
  let rec: LogLine
  try {
    rec = JSON.parse(plain.slice(start).trimEnd()) as LogLine
  } catch {
    return line
  }
  const { level = 'info', msg = '', traceId, step, time, flows: _flows, error, ...meta } = rec
  const paint = LEVEL_COLOR[level] ?? ((s: string) => s)
  const extra = Object.keys(meta).length ? ` ${pc.gray(JSON.stringify(meta))}` : ''
  const stamp = time ? new Date(time).toISOString().slice(11, 23) : ''
  const head = `${pc.gray(stamp)} ${paint(level.padEnd(5))} ${step ? pc.cyan(step) : ''}${traceId ? pc.gray(` ${traceId}`) : ''} ${msg}${extra}`
  if (error === undefined) return head
  if (!isErrorLike(error)) return `${head} ${pc.gray(JSON.stringify({ error }))}`
  return [head, ...errorLines(error)].join('\n')
}

/** One progress line ("› bundling the Worker…"), on stderr so JSON on stdout stays clean. */
export function stepLine(step: string): void {
  process.stderr.write(`${color.gray(`› ${step}…`)}\n`)
}
