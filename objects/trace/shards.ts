/**
 * Where a trace lives. Traces are hosted by a fixed set of TraceObjects ("shards") keyed by a
 * hash of the trace id, not by one object each: creating a Durable Object and its database costs
 * more (2–3 ms of the isolate locally, measured) than a whole hand-written three-step chain, and
 * a warm shard lets one call carry the bookkeeping of a whole queue batch.
 *
 * How many: `traces.shards` in stepflare.config.ts; by default 8 deployed (shards spread the
 * work over machines) and 1 under `stepflare dev` (every object shares one thread there, so more
 * shards only split the batches). The count is part of where data lives: changing it strands the
 * traces of the shards that no longer match.
 * @module
 */
export const DEPLOYED_SHARDS = 8
export const DEV_SHARDS = 1

export function shardCount(dev: boolean, configured?: number): number {
  if (configured !== undefined && Number.isInteger(configured) && configured >= 1) return configured
  return dev ? DEV_SHARDS : DEPLOYED_SHARDS
}

/** FNV-1a over the trace id's UTF-16 units: stable across isolates and versions. */
export function traceShard(traceId: string, count: number): number {
  let h = 0x811c9dc5
  for (let i = 0; i < traceId.length; i++) {
    h ^= traceId.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return (h >>> 0) % count
}

export function traceShardName(traceId: string, count: number): string {
  return `traces-${traceShard(traceId, count)}`
}

export function allTraceShardNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `traces-${i}`)
}
