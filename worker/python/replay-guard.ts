/**
 * Makes each callback usable once, and only while its invocation runs. Each (invocationId, seq)
 * may be claimed once until its token expires; once the Worker has the invocation's answer, every
 * later claim is refused, so a key that leaked from the runner dies with its invocation. In
 * production the record lives in the trace's object (every isolate reaches it);
 * {@link MemoryReplayGuard} is for tests.
 * @module
 */

export type ClaimResult = 'claimed' | 'replayed' | 'ended'

export interface ReplayGuard {
  /** `claimed` the first time (invocationId, seq) is seen, `replayed` after, `ended` once the invocation is over. */
  claim(invocationId: string, seq: number, expiresAt: number): Promise<ClaimResult>
}

export class MemoryReplayGuard implements ReplayGuard {
  private readonly seen = new Map<string, { expiresAt: number; seqs: Set<number>; ended: boolean }>()
  private lastSweep = 0

  constructor(private readonly now: () => number = Date.now) {}

  private entry(invocationId: string, expiresAt: number) {
    const now = this.now()
    if (now - this.lastSweep > 10_000) this.sweep(now)
    let entry = this.seen.get(invocationId)
    if (!entry) {
      entry = { expiresAt, seqs: new Set(), ended: false }
      this.seen.set(invocationId, entry)
    }
    entry.expiresAt = Math.max(entry.expiresAt, expiresAt)
    return entry
  }

  async claim(invocationId: string, seq: number, expiresAt: number): Promise<ClaimResult> {
    const entry = this.entry(invocationId, expiresAt)
    if (entry.ended) return 'ended'
    if (entry.seqs.has(seq)) return 'replayed'
    entry.seqs.add(seq)
    return 'claimed'
  }

  /** The invocation answered: its callbacks are refused from now on. */
  end(invocationId: string, expiresAt: number): void {
    this.entry(invocationId, expiresAt).ended = true
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
