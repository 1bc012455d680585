import { describe, expect, it } from 'vitest'
import { newTraceId } from '../../worker/trace-id'
import { allTraceShardNames, TRACE_SHARDS, traceShard, traceShardName } from './shards'

describe('trace shards', () => {
  it('maps a trace id to the same shard every time', () => {
    expect(traceShardName('ABCDEF-1234567')).toBe(traceShardName('ABCDEF-1234567'))
    expect(allTraceShardNames()).toContain(traceShardName('ABCDEF-1234567'))
  })

  it('spreads trace ids over every shard', () => {
    const counts = new Array(TRACE_SHARDS).fill(0)
    for (let i = 0; i < 8000; i++) counts[traceShard(newTraceId(1_700_000_000_000 + i))]++
    for (const n of counts) expect(n).toBeGreaterThan((8000 / TRACE_SHARDS) * 0.8)
  })
})
