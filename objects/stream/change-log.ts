/**
 * A group's recent changes with their sequence numbers, for resume. Bounded: the last
 * {@link RETAIN_COUNT} changes and at most {@link RETAIN_MS} old. A client asking for changes
 * older than that gets a fresh sync instead.
 * @module
 */
import type { StreamFrame } from '../../sdk/stream-types'

export const RETAIN_COUNT = 1000
export const RETAIN_MS = 10 * 60_000

export interface ChangeLog {
  append(frame: StreamFrame): number
  lastSeq(): number
  /** Frames after `seq`, in order; null when some of them are no longer kept. */
  since(seq: number): StreamFrame[] | null
}

export function createChangeLog(sql: SqlStorage): ChangeLog {
  sql.exec('CREATE TABLE IF NOT EXISTS changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, frame TEXT NOT NULL)')
  let appended = 0
  const lastSeq = () => sql.exec<{ s: number | null }>('SELECT MAX(seq) AS s FROM changes').one().s ?? 0
  return {
    append(frame) {
      const seq = sql.exec<{ seq: number }>('INSERT INTO changes (at, frame) VALUES (?, ?) RETURNING seq', Date.now(), '').one().seq
      sql.exec('UPDATE changes SET frame = ? WHERE seq = ?', JSON.stringify({ ...frame, seq }), seq)
      if (++appended % 100 === 0) {
        sql.exec('DELETE FROM changes WHERE seq <= ? OR at < ?', seq - RETAIN_COUNT, Date.now() - RETAIN_MS)
      }
      return seq
    },
    lastSeq,
    since(seq) {
      const oldest = sql.exec<{ s: number | null }>('SELECT MIN(seq) AS s FROM changes WHERE at >= ?', Date.now() - RETAIN_MS).one().s
      const last = lastSeq()
      if (seq >= last) return []
      if (oldest === null || oldest > seq + 1) return null
      return sql
        .exec<{ frame: string }>('SELECT frame FROM changes WHERE seq > ? ORDER BY seq', seq)
        .toArray()
        .map((r) => JSON.parse(r.frame) as StreamFrame)
    },
  }
}
