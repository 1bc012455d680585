import { KIND_COLORS, KIND_LABELS, type Kind } from '../lib/kinds'

export function KindBadge({ kind }: { kind: Kind }) {
  return (
    <span className="badge kind" style={{ color: KIND_COLORS[kind], borderColor: `${KIND_COLORS[kind]}66`, background: `${KIND_COLORS[kind]}1a` }}>
      {KIND_LABELS[kind]}
    </span>
  )
}

const STATUS_CLASS: Record<string, string> = {
  completed: 'ok',
  done: 'ok',
  fulfilled: 'ok',
  running: 'run',
  queued: 'run',
  waiting: 'run',
  retrying: 'warn',
  skipped: 'muted',
  failed: 'bad',
  dead: 'bad',
}

export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`badge status ${STATUS_CLASS[status] ?? 'muted'}`} data-status={status}>
      {status === 'running' && <span className="pulse" />}
      {status}
    </span>
  )
}

export function MethodBadge({ method }: { method: string }) {
  return <span className={`method m-${method.toLowerCase()}`}>{method}</span>
}

export function LevelBadge({ level }: { level: string }) {
  return <span className={`level l-${level}`}>{level}</span>
}
