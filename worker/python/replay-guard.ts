/**
 * Refuses a callback seen before. Each (invocationId, seq) may be claimed once until its token
 * expires. In production back it with a Durable Object (one instance, or one per invocation id)
 * so every isolate sees the same record; {@link MemoryReplayGuard} is for dev and tests.
 * @module
 */

export interface ReplayGuard {
  /** True the first time (invocationId, seq) is claimed; false on every later claim. */
  claim(invocationId: string, seq: number, expiresAt: number): Promise<boolean>
}

export class MemoryReplayGuard implements ReplayGuard {
  private readonly seen = new Map<string, { expiresAt: number; seqs: Set<number> }>()
  private lastSweep = 0

  constructor(private readonly now: () => number = Date.now) {}

  async claim(invocationId: string, seq: number, expiresAt: number): Promise<boolean> {
    const now = this.now()
    if (now - this.lastSweep > 10_000) this.sweep(now)
    let entry = this.seen.get(invocationId)
    if (!entry) {
      entry = { expiresAt, seqs: new Set() }
      this.seen.set(invocationId, entry)
    }
    entry.expiresAt = Math.max(entry.expiresAt, expiresAt)
    if (entry.seqs.has(seq)) return false
    entry.seqs.add(seq)
    return true
  }

  /** Forgets invocations whose tokens have expired: their callbacks are refused as expired anyway. */
  sweep(now = this.now()): void {
    this.lastSweep = now
    for (const [id, entry] of this.seen) if (entry.expiresAt < now) this.seen.delete(id)
  }

  get size(): number {
    return this.seen.size
  }
}
