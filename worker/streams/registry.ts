/**
 * The project's stream definitions, by name.
 * @module
 */
import type { StreamConfig } from '../../sdk/stream-types'

export interface StreamModuleEntry {
  file: string
  module: Record<string, unknown>
}

export function loadStreams(entries: StreamModuleEntry[] = []): Map<string, StreamConfig> {
  const out = new Map<string, StreamConfig>()
  for (const { module } of entries) {
    const config = (module.config ?? (module.default as { config?: unknown } | undefined)?.config) as StreamConfig | undefined
    if (config?.name) out.set(config.name, config)
  }
  return out
}

export function streamObjectName(streamName: string, groupId: string): string {
  return `${streamName}\u0000${groupId}`
}
