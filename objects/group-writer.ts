/**
 * Group commit inside a Durable Object. Every call that writes costs the object a commit of its
 * database (about 0.25 ms locally, whatever it wrote), and concurrent calls do not share one by
 * themselves. The writer runs the write phase of every call that arrived while the previous group
 * was committing in one synchronous pass, so one commit carries them all; at low load a call is
 * written at once, as before.
 *
 * Each call's writes run in a savepoint of their own (`transactionSync`): a call that throws rolls
 * back alone and fails alone. Callers are answered once their group is durable.
 *
 * This is safe inside a Durable Object, whose requests share one I/O context; the same pattern in
 * a stateless Worker resolves one request's promise from another's and workerd refuses it
 * (docs/architecture.md, "Why shards and batches").
 * @module
 */

/** What the writer needs of `ctx.storage`. */
export interface GroupStorage {
  transactionSync<T>(fn: () => T): T
  sync(): Promise<void>
}

interface Job {
  write: () => unknown
  resolve: (value: unknown) => void
  reject: (err: unknown) => void
}

export class GroupWriter {
  private pending: Job[] = []
  private draining = false

  /** `onError` runs after a call's writes rolled back (to drop in-memory copies they changed). */
  constructor(
    private readonly storage: GroupStorage,
    private readonly onError: () => void = () => {},
  ) {}

  /** Runs `write` (synchronous SQL) with the other calls of its group; resolves once it is durable. */
  run<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ write, resolve: resolve as (value: unknown) => void, reject })
      if (!this.draining) void this.drain()
    })
  }

  /**
   * Runs a read in order with the writes: at once when none is waiting for its group, else after
   * them (so a read that arrives after a write, even one not yet answered, sees it).
   */
  read<T>(fn: () => T): T | Promise<T> {
    return this.pending.length === 0 ? fn() : this.run(fn)
  }

  private async drain(): Promise<void> {
    this.draining = true
    try {
      while (this.pending.length > 0) {
        const group = this.pending
        this.pending = []
        const done: [Job, unknown][] = []
        for (const job of group) {
          try {
            done.push([job, this.storage.transactionSync(job.write)])
          } catch (err) {
            this.onError()
            job.reject(err)
          }
        }
        // Calls that arrive while this commits wait for the next group.
        try {
          await this.storage.sync()
        } catch (err) {
          for (const [job] of done) job.reject(err)
          continue
        }
        for (const [job, value] of done) job.resolve(value)
      }
    } finally {
      this.draining = false
    }
  }
}
