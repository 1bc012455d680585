/**
 * `ctx.logger`: one JSON line per record on the console (which `wrangler dev` prints) and the same
 * record kept for the step run's trace.
 * @module
 */
import type { Logger, LogMeta } from '../sdk/context-types'

export interface LogRecord extends LogMeta {
  level: 'debug' | 'info' | 'warn' | 'error'
  time: number
  msg: string
  traceId?: string
  step?: string
}

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const

export function levelEnabled(level: keyof typeof LEVELS, min: string | undefined): boolean {
  const floor = LEVELS[(min ?? 'info') as keyof typeof LEVELS] ?? LEVELS.info
  return LEVELS[level] >= floor
}

export function createLogger(base: LogMeta, sink: (r: LogRecord) => void, minLevel?: string): Logger {
  const write = (level: LogRecord['level'], msg: string, meta?: LogMeta) => {
    if (!levelEnabled(level, minLevel)) return
    const record: LogRecord = { level, time: Date.now(), msg, ...base, ...(meta ?? {}) }
    const line = JSON.stringify(record, errorReplacer)
    if (level === 'error') console.error(line)
    else console.log(line)
    sink(record)
  }
  return {
    debug: (msg, meta) => write('debug', msg, meta),
    info: (msg, meta) => write('info', msg, meta),
    warn: (msg, meta) => write('warn', msg, meta),
    error: (msg, meta) => write('error', msg, meta),
    log: ({ level, msg, ...meta }) => write((level as LogRecord['level']) in LEVELS ? (level as LogRecord['level']) : 'info', String(msg ?? ''), meta),
    child: (meta) => createLogger({ ...base, ...meta }, sink, minLevel),
  }
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack }
  return value
}
