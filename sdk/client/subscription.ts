/**
 * Subscriptions of the stream client: a group (state `T[]`) or an item (state `T | null`), with
 * Motia's listener API. Each remembers the group's last sequence number it applied, so a
 * reconnect can resume after it, and drops frames it already applied.
 * @module
 */
import type { StreamFrame } from '../stream-wire.js'

export interface SubscriptionSpec {
  streamName: string
  groupId: string
  id?: string
  subscriptionId: string
}

export type ResumeInfo = { mode: 'replay' | 'sync'; from: number; to: number; count?: number }

type Item = { id: string } & Record<string, unknown>

export abstract class StreamSubscription<S> {
  private readonly changeListeners = new Set<(state: S) => void>()
  private readonly eventListeners = new Map<string, ((data: unknown) => void)[]>()
  private readonly closeListeners = new Set<() => void>()
  private readonly resumeListeners = new Set<(info: ResumeInfo) => void>()
  /** The last group sequence number applied; sent as `since` when re-joining. */
  lastSeq: number | undefined

  constructor(
    readonly sub: SubscriptionSpec,
    protected state: S,
  ) {}

  addChangeListener(fn: (state: S) => void): void {
    this.changeListeners.add(fn)
  }
  removeChangeListener(fn: (state: S) => void): void {
    this.changeListeners.delete(fn)
  }
  onEvent(type: string, fn: (data: unknown) => void): void {
    this.eventListeners.set(type, [...(this.eventListeners.get(type) ?? []), fn])
  }
  offEvent(type: string, fn: (data: unknown) => void): void {
    this.eventListeners.set(
      type,
      (this.eventListeners.get(type) ?? []).filter((l) => l !== fn),
    )
  }
  onClose(fn: () => void): void {
    this.closeListeners.add(fn)
  }
  /** Called after a reconnect, saying whether missed changes were replayed or a fresh sync came. */
  onResume(fn: (info: ResumeInfo) => void): void {
    this.resumeListeners.add(fn)
  }
  close(): void {
    for (const fn of this.closeListeners) fn()
    this.closeListeners.clear()
  }
  getState(): S {
    return this.state
  }
  protected setState(state: S): void {
    this.state = state
    for (const fn of this.changeListeners) fn(state)
  }

  /** Applies one frame; false when it was a duplicate of one already applied. */
  receive(frame: StreamFrame): boolean {
    const ev = frame.event
    if (ev.type === 'event' && ev.event.type === '$resume') {
      for (const fn of this.resumeListeners) fn(ev.event.data as ResumeInfo)
      if (typeof frame.seq === 'number') this.lastSeq = Math.max(this.lastSeq ?? 0, frame.seq)
      return true
    }
    if (typeof frame.seq === 'number' && ev.type !== 'sync') {
      if (this.lastSeq !== undefined && frame.seq <= this.lastSeq) return false
      this.lastSeq = frame.seq
    } else if (ev.type === 'sync' && typeof frame.seq === 'number') this.lastSeq = frame.seq
    if (ev.type === 'event') {
      for (const fn of this.eventListeners.get(ev.event.type) ?? []) fn(ev.event.data)
      return true
    }
    this.apply(ev.type, ev.data)
    return true
  }

  protected abstract apply(type: 'sync' | 'create' | 'update' | 'delete', data: unknown): void
}

export class StreamGroupSubscription<T extends Item = Item> extends StreamSubscription<T[]> {
  constructor(
    sub: SubscriptionSpec,
    private readonly sortKey?: keyof T,
  ) {
    super(sub, [])
  }

  protected override setState(state: T[]): void {
    const key = this.sortKey
    super.setState(key ? [...state].sort((a, b) => String(a[key] ?? '').localeCompare(String(b[key] ?? ''))) : state)
  }

  protected apply(type: 'sync' | 'create' | 'update' | 'delete', data: unknown): void {
    const item = data as T
    const state = this.getState()
    if (type === 'sync') this.setState(data as T[])
    else if (type === 'create') this.setState(state.some((i) => i.id === item.id) ? state.map((i) => (i.id === item.id ? item : i)) : [...state, item])
    else if (type === 'update') this.setState(state.some((i) => i.id === item.id) ? state.map((i) => (i.id === item.id ? item : i)) : [...state, item])
    else this.setState(state.filter((i) => i.id !== item.id))
  }
}

export class StreamItemSubscription<T extends Item = Item> extends StreamSubscription<T | null> {
  constructor(sub: SubscriptionSpec) {
    super(sub, null)
  }

  protected apply(type: 'sync' | 'create' | 'update' | 'delete', data: unknown): void {
    this.setState(type === 'delete' ? null : (data as T))
  }
}
