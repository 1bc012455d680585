/**
 * Gathers the outcomes of one shard group's runs into as few `settleMany` calls as their timing
 * allows: a call goes out when every expected outcome is in, or `maxWaitMs` after the first one
 * still waiting arrived — so a slow handler never holds the others' commits for long.
 * @module
 */
interface Waiting<T> {
  item: T
  resolve: () => void
  reject: (err: unknown) => void
}

export class Settler<T> {
  private waiting: Waiting<T>[] = []
  private remaining = 0
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly write: (items: T[]) => Promise<unknown>,
    private readonly maxWaitMs = 20,
  ) {}

  /** How many outcomes to expect before flushing without waiting. */
  expect(count: number): void {
    this.remaining = count
  }

  /** Resolves once the item is written (with the others of its call); rejects if that call failed. */
  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject })
      this.remaining--
      if (this.remaining <= 0) this.flush()
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
      () => {
        for (const w of batch) w.resolve()
      },
      (err) => {
        for (const w of batch) w.reject(err)
      },
    )
  }
}
