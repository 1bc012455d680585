/**
 * The stream wire protocol: Motia's frames, with stepflare's optional `seq` and `since` (ignored by
 * Motia's clients). The one file the browser client and the server objects share.
 * @module
 */

export type StreamEvent =
  | { type: 'sync'; data: unknown }
  | { type: 'create' | 'update' | 'delete'; data: unknown }
  | { type: 'event'; event: { type: string; data: unknown } }

export interface StreamFrame {
  timestamp: number
  streamName: string
  groupId: string
  id?: string
  event: StreamEvent
  /** The group's sequence number of this change (stepflare extension). */
  seq?: number
}

export interface JoinMessage {
  type: 'join' | 'leave'
  data: { streamName: string; groupId: string; id?: string; subscriptionId: string; since?: number }
}
