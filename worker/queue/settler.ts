/**
 * Gathers the outcomes of one shard group's runs into as few `settleMany` calls as their timing
 * allows: a call goes out when every run still going has reported, or `maxWaitMs` after the first
 * outcome still waiting arrived — a few milliseconds, so a run's emits go out when it ends,
 * whatever its batch-mates do, and only runs that end together share a call. Runs that start
 * later (a chain continued in the same invocation) say so with {@link Settler.started}.
 * @module
 */
interface Waiting<T, R> {
  item: T
  resolve: (result: R | undefined) => void
  reject: (err: unknown) => void
}

export const SETTLE_WAIT_MS = 3

export class Settler<T, R = unknown> {
  private waiting: Waiting<T, R>[] = []
  /** Runs started and not yet reported. */
  private running = 0
  private timer: ReturnType<typeof setTimeout> | undefined

  /** `write` answers one result per item, in order (or anything else, for no results). */
  constructor(
    private readonly write: (items: T[]) => Promise<R[] | unknown>,
    private readonly maxWaitMs = SETTLE_WAIT_MS,
  ) {}

  /** `count` more runs will report an outcome. */
  started(count = 1): void {
    this.running += count
  }

  /** Resolves with the item's result once it is written (with the others of its call); rejects if that call failed. */
  add(item: T): Promise<R | undefined> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject })
      this.running--
      if (this.running <= 0) this.flush()
      else this.timer ??= setTimeout(() => this.flush(), this.maxWaitMs)
    })
  }

  private flush(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    const batch = this.waiting
    this.waiting = []
    if (batch.length === 0) return
    this.write(batch.map((w) => w.item)).then(
      (results) => {
        const list = Array.isArray(results) ? (results as R[]) : undefined
        for (const [i, w] of batch.entries()) w.resolve(list?.[i])
      },
      (err) => {
        for (const w of batch) w.reject(err)
      },
    )
  }
}
