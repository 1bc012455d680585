/**
 * Stream definitions: `*.stream.ts` files export `config: StreamConfig`. Each becomes
 * `ctx.streams.<name>` in every step, and browsers subscribe to its groups and items over
 * WebSockets with Motia's protocol.
 * @module
 */
import type { FlowContext } from './context-types'
import type { StreamAuthContext } from './handler-types'
import type { StepSchemaInput } from './types'

export interface StreamSubscription {
  groupId: string
  id?: string
}

export interface StreamConfig {
  name: string
  schema: StepSchemaInput
  baseConfig?: { storageType: 'default' }
  /** Motia 0.13: called per join with the connection's auth context; false refuses the join. */
  canAccess?: (subscription: StreamSubscription, authContext: StreamAuthContext | null) => boolean | Promise<boolean>
  /** Motia 1.x: called per join; `{ unauthorized: true }` refuses it. */
  onJoin?: (subscription: StreamSubscription, ctx: Pick<FlowContext, 'logger' | 'state' | 'streams'>, authContext: StreamAuthContext | null) => unknown
  /** Motia 1.x: called when a subscription ends. */
  onLeave?: (subscription: StreamSubscription, ctx: Pick<FlowContext, 'logger' | 'state' | 'streams'>, authContext: StreamAuthContext | null) => unknown
}

/** The wire frames live in stream-wire.ts (shared with the browser client). */
export type { JoinMessage, StreamEvent, StreamFrame } from './stream-wire'
