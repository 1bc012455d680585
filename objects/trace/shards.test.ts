import { describe, expect, it } from 'vitest'
import { newTraceId } from '../../worker/trace-id'
import { allTraceShardNames, DEPLOYED_SHARDS, DEV_SHARDS, shardCount, traceShard, traceShardName } from './shards'

describe('trace shards', () => {
  it('maps a trace id to the same shard every time', () => {
    expect(traceShardName('ABCDEF-1234567', 8)).toBe(traceShardName('ABCDEF-1234567', 8))
    expect(allTraceShardNames(8)).toContain(traceShardName('ABCDEF-1234567', 8))
    expect(traceShardName('ABCDEF-1234567', 1)).toBe('traces-0')
  })

  it('spreads trace ids over every shard', () => {
    const counts = new Array(8).fill(0)
    for (let i = 0; i < 8000; i++) counts[traceShard(newTraceId(1_700_000_000_000 + i), 8)]++
    for (const n of counts) expect(n).toBeGreaterThan(800)
  })

  it('takes the configured count, else one under dev and more deployed', () => {
    expect(shardCount(true)).toBe(DEV_SHARDS)
    expect(shardCount(false)).toBe(DEPLOYED_SHARDS)
    expect(shardCount(true, 4)).toBe(4)
    expect(shardCount(false, 0)).toBe(DEPLOYED_SHARDS)
  })
})
