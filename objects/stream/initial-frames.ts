/**
 * What a socket receives right after joining a group: the changes it missed when it asks to
 * resume after a sequence number still in the log (then a `$resume` event saying `replay`), else
 * a `sync` with the item or the group's items (and, if it asked to resume, `$resume` `sync`).
 * @module
 */
import type { ChangeLog } from './change-log'

export interface JoinRequest {
  streamName: string
  groupId: string
  id: string | null
  since: number | null
}

export function initialFrames(log: ChangeLog, req: JoinRequest, read: (id: string | null) => unknown): string[] {
  const base = { streamName: req.streamName, groupId: req.groupId, ...(req.id !== null ? { id: req.id } : {}) }
  const last = log.lastSeq()
  const resume = (data: Record<string, unknown>) =>
    JSON.stringify({ timestamp: Date.now(), ...base, seq: last, event: { type: 'event', event: { type: '$resume', data } } })
  const out: string[] = []
  if (req.since !== null) {
    const missed = log.since(req.since)
    if (missed) {
      for (const f of missed) if (req.id === null || f.id === req.id) out.push(JSON.stringify(f))
      out.push(resume({ mode: 'replay', from: req.since, to: last, count: missed.length }))
      return out
    }
  }
  const data = read(req.id)
  if (req.id === null || data) out.push(JSON.stringify({ timestamp: Date.now(), ...base, seq: last, event: { type: 'sync', data } }))
  if (req.since !== null) out.push(resume({ mode: 'sync', from: req.since, to: last }))
  return out
}
