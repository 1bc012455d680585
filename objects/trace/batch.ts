/**
 * One call's unit of work inside a trace shard: the traces it touched, the rows it adds, and what
 * must happen once its SQL is written — messages to send, FIFO heads to release, dead letters to index, the
 * earliest time the shard's alarm must look again.
 * @module
 */
import type { RunRow } from './bulk'
import type { DeliveryRow } from './deliveries'
import type { DeadLetter } from './records'
import type { TraceRow } from './traces'

export interface TouchedTrace {
  row: TraceRow
  isNew: boolean
  /** Its runs or deliveries changed: its status is checked and the row saved. */
  changed: boolean
  /** Its status as loaded. */
  was: { active: number; failed: number }
}

export class Batch {
  readonly traces = new Map<string, TouchedTrace>()
  /** Run records and new deliveries, written in one statement each when the unit ends. */
  readonly runs: RunRow[] = []
  readonly inserts: DeliveryRow[] = []
  readonly send: DeliveryRow[] = []
  readonly release: DeliveryRow[] = []
  readonly deadLetters: DeadLetter[] = []
  wakeAt: number | null = null
  /** How many more new deliveries this unit may begin for its caller to run itself. */
  claimable = 0

  wake(at: number | undefined): void {
    if (at !== undefined && (this.wakeAt === null || at < this.wakeAt)) this.wakeAt = at
  }
}
