import { useEffect, useState } from 'react'
import { acquireStream, releaseStream } from '../../lib/stream-connection'

export type Item = { id: string } & Record<string, unknown>

export interface Change {
  n: number
  at: number
  type: 'create' | 'update' | 'delete'
  id: string
  /** For an update: the fields that changed, as `field: new value`. */
  fields?: string
}

export interface LiveView {
  /** At most MAX_ROWS items: the recently changed ones first, then the group's order. */
  rows: Item[]
  total: number
  touched: Map<string, number>
}

export const MAX_ROWS = 100
const MAX_TOUCHED = 500
const MAX_CHANGES = 50
const RENDER_EVERY_MS = 500

function changedFields(a: Item, b: Item): string {
  return Object.keys({ ...a, ...b })
    .filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .map((k) => `${k}: ${b[k] === undefined ? '—' : typeof b[k] === 'string' ? b[k] : JSON.stringify(b[k])}`)
    .join(', ')
}

function pick(items: Item[], touched: Map<string, number>): Item[] {
  const recent = items.filter((i) => touched.has(i.id)).sort((a, b) => (touched.get(b.id) ?? 0) - (touched.get(a.id) ?? 0))
  const rows = recent.slice(0, MAX_ROWS)
  for (const i of items) {
    if (rows.length >= MAX_ROWS) break
    if (!touched.has(i.id)) rows.push(i)
  }
  return rows
}

/**
 * Subscribes to a stream group over the shared WebSocket. Every frame is diffed (by identity: the
 * client keeps unchanged items as they were) into the change log; the table renders at most every
 * 500 ms and at most 100 rows, so a busy group costs the browser little.
 */
export function useLiveGroup(stream: string, group: string): { view?: LiveView; changes: Change[] } {
  const [view, setView] = useState<LiveView>()
  const [changes, setChanges] = useState<Change[]>([])
  useEffect(() => {
    const sub = acquireStream().subscribeGroup<Item>(stream, group)
    let prev: Map<string, Item> | undefined
    let latest: Item[] = []
    let log: Change[] = []
    let seq = 0
    const touched = new Map<string, number>()
    let timer: ReturnType<typeof setTimeout> | undefined
    const add = (c: Omit<Change, 'n' | 'at'>, at: number) => {
      log = [{ ...c, n: ++seq, at }, ...log].slice(0, MAX_CHANGES)
      touched.delete(c.id)
      touched.set(c.id, at)
      // Insertion order is change order: drop the oldest beyond the cap.
      if (touched.size > MAX_TOUCHED) touched.delete(touched.keys().next().value as string)
    }
    const flush = () => {
      timer = undefined
      setView({ rows: pick(latest, touched), total: latest.length, touched: new Map(touched) })
      setChanges(log)
    }
    sub.addChangeListener((state) => {
      const next = new Map<string, Item>()
      for (const i of state) next.set(i.id, i)
      if (prev) {
        const now = Date.now()
        for (const i of state) {
          const before = prev.get(i.id)
          if (!before) add({ type: 'create', id: i.id }, now)
          else if (before !== i && JSON.stringify(before) !== JSON.stringify(i)) add({ type: 'update', id: i.id, fields: changedFields(before, i) }, now)
        }
        for (const id of prev.keys()) if (!next.has(id)) add({ type: 'delete', id }, now)
      }
      prev = next
      latest = state
      timer ??= setTimeout(flush, RENDER_EVERY_MS)
    })
    return () => {
      clearTimeout(timer)
      sub.close()
      releaseStream()
    }
  }, [stream, group])
  return { view, changes }
}
