/**
 * Where a trace lives. Traces are hosted by a fixed set of TraceObjects ("shards") keyed by a
 * hash of the trace id, not by one object each: creating a Durable Object and its database costs
 * more (2–3 ms of the isolate locally, measured) than a whole hand-written three-step chain, and
 * a warm shard lets one call carry the bookkeeping of a whole queue batch.
 * The count is part of where data lives: changing it strands the traces of the other shards.
 * @module
 */
export const TRACE_SHARDS = 8

/** FNV-1a over the trace id's UTF-16 units: stable across isolates and versions. */
export function traceShard(traceId: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < traceId.length; i++) {
    h ^= traceId.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return (h >>> 0) % TRACE_SHARDS
}

export function traceShardName(traceId: string): string {
  return `traces-${traceShard(traceId)}`
}

export function allTraceShardNames(): string[] {
  return Array.from({ length: TRACE_SHARDS }, (_, i) => `traces-${i}`)
}
