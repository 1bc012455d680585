/**
 * Group commit of entry runs to one trace shard. A shard commits each call in a write transaction
 * of its own, which costs more than the rows in it, so while one call to a shard is in flight from
 * this isolate, the commits that arrive wait; when it returns, the first of them is told to lead
 * and makes one call for all that wait, from its own request. A lone commit waits for nothing,
 * and no request does I/O for another.
 *
 * Failure cases: a leader's call runs under `waitUntil`, so the runs it took hear back even if its
 * client goes away. A waiter told to lead that never runs (its request was cancelled) must not
 * stall the others: a waiter not taken into a call within `waitLimitMs` leads by itself, and a
 * leadership older than that counts as lost. A run is only ever taken into one call.
 * @module
 */

interface Waiter<T> {
  item: T
  /** Queued until a leader takes it into its call; then only that call's outcome ends its wait. */
  taken: boolean
  outcome: Promise<void>
  settle: (error?: { error: unknown }) => void
  /** Resolved when it is this waiter's turn to lead. */
  leadSignal: Promise<void>
  lead: () => void
}

export interface GroupCommitOptions<T> {
  send: (items: T[]) => Promise<unknown>
  waitLimitMs?: number
  now?: () => number
}

export class GroupCommitter<T> {
  private readonly queue: Waiter<T>[] = []
  /** When the current leadership began; null when no call is in flight. */
  private leaderSince: number | null = null
  private readonly send: (items: T[]) => Promise<unknown>
  private readonly waitLimitMs: number
  private readonly now: () => number

  constructor(opts: GroupCommitOptions<T>) {
    this.send = opts.send
    this.waitLimitMs = opts.waitLimitMs ?? 2_000
    this.now = opts.now ?? Date.now
  }

  /** Resolves once `item` is committed (by this request's call or another's); rejects if that call failed. */
  async commit(item: T, waitUntil: (p: Promise<unknown>) => void): Promise<void> {
    const idle = this.leaderSince === null || this.now() - this.leaderSince > this.waitLimitMs
    if (!idle) {
      const w = this.enqueue(item)
      const led = await this.waitForTurn(w)
      if (!led) return w.outcome
    }
    return this.lead(item, waitUntil)
  }

  private enqueue(item: T): Waiter<T> {
    let settle!: Waiter<T>['settle']
    let lead!: () => void
    const leadSignal = new Promise<void>((resolve) => {
      lead = resolve
    })
    const outcome = new Promise<void>((resolve, reject) => {
      settle = (failure) => (failure ? reject(failure.error) : resolve())
    })
    const w: Waiter<T> = { item, taken: false, outcome, settle, leadSignal, lead }
    // Observed later (or returned); never an unhandled rejection meanwhile.
    outcome.catch(() => {})
    this.queue.push(w)
    return w
  }

  /** True when this waiter must lead (told to, or tired of waiting while nobody took it). */
  private async waitForTurn(w: Waiter<T>): Promise<boolean> {
    let timer: ReturnType<typeof setTimeout> | undefined
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.waitLimitMs)
    })
    await Promise.race([w.outcome.catch(() => {}), w.leadSignal, timedOut])
    clearTimeout(timer)
    if (w.taken) return false
    this.queue.splice(this.queue.indexOf(w), 1)
    return true
  }

  private async lead(item: T, waitUntil: (p: Promise<unknown>) => void): Promise<void> {
    this.leaderSince = this.now()
    const others = this.queue.splice(0, this.queue.length)
    for (const w of others) w.taken = true
    const settled = this.send([item, ...others.map((w) => w.item)]).then(
      () => {
        this.handOver(others)
        return undefined
      },
      (error: unknown) => {
        const failure = { error }
        this.handOver(others, failure)
        return failure
      },
    )
    waitUntil(settled)
    const failure = await settled
    if (failure) throw failure.error
  }

  private handOver(done: Waiter<T>[], failure?: { error: unknown }): void {
    for (const w of done) w.settle(failure)
    const next = this.queue[0]
    if (next) {
      this.leaderSince = this.now()
      next.lead()
    } else this.leaderSince = null
  }
}
