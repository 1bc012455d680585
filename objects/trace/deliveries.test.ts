import { describe, expect, it } from 'vitest'
import { type DeliveryRow, QUEUED_GRACE_MS, redispatchAt, SEND_RETRY_MS } from './deliveries'

const row = (fields: Partial<DeliveryRow>): DeliveryRow => ({
  id: 't:1',
  trace_id: 't',
  step: 'S',
  topic: 'x',
  data: 'null',
  group_id: null,
  status: 'queued',
  attempts: 0,
  due_at: 1_000,
  lease_until: 0,
  boot_id: '',
  redispatches: 0,
  history: '[]',
  created_at: 1_000,
  fifo: 0,
  sent: 1,
  run_id: null,
  run: null,
  ...fields,
})

describe('redispatchAt', () => {
  it('waits the long grace for a message the queue accepted, doubling per re-send', () => {
    expect(redispatchAt(row({}))).toBe(1_000 + QUEUED_GRACE_MS)
    expect(redispatchAt(row({ redispatches: 2 }))).toBe(1_000 + 4 * QUEUED_GRACE_MS)
    expect(redispatchAt(row({ redispatches: 9 }))).toBe(1_000 + 32 * QUEUED_GRACE_MS)
  })

  it('retries a failed send within seconds', () => {
    expect(redispatchAt(row({ sent: 0 }))).toBe(1_000 + SEND_RETRY_MS)
    expect(redispatchAt(row({ sent: 0, status: 'retrying', redispatches: 1 }))).toBe(1_000 + 2 * SEND_RETRY_MS)
  })

  it('follows the lease of a running attempt and ignores finished rows', () => {
    expect(redispatchAt(row({ status: 'running', lease_until: 9_000 }))).toBe(9_000)
    expect(redispatchAt(row({ status: 'done' }))).toBeUndefined()
  })
})
