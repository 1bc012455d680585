/**
 * What a handler receives as `ctx`: trace id, emit/enqueue, state, streams, logger, trigger, env.
 * @module
 */

export interface EmitEvent<TTopic extends string = string, TData = unknown> {
  topic: TTopic
  data: TData
  messageGroupId?: string
}

/** The union of events a step may emit; `Handlers` narrows it per step in generated types. */
export type Emitter<TEmit = EmitEvent> = (event: TEmit) => Promise<void>

export type LogMeta = Record<string, unknown>

export interface Logger {
  info(message: string, meta?: LogMeta): void
  warn(message: string, meta?: LogMeta): void
  error(message: string, meta?: LogMeta): void
  debug(message: string, meta?: LogMeta): void
  log(record: LogMeta & { level?: string; msg?: string }): void
  child(meta: LogMeta): Logger
}

/** One atomic update operation; paths are dot-separated (`a.b.c`), empty for the whole value. */
export type UpdateOp =
  | { type: 'set'; path?: string; value: unknown }
  | { type: 'merge'; path?: string; value: Record<string, unknown> }
  | { type: 'increment'; path?: string; by?: number }
  | { type: 'decrement'; path?: string; by?: number }
  | { type: 'remove'; path?: string }

export interface StateManager {
  get<T = unknown>(groupId: string, key: string): Promise<T | null>
  set<T = unknown>(groupId: string, key: string, value: T): Promise<T>
  delete<T = unknown>(groupId: string, key: string): Promise<T | null>
  getGroup<T = unknown>(groupId: string): Promise<T[]>
  clear(groupId: string): Promise<void>
  /** Applies the operations atomically and in order; returns the old and the new value. */
  update<T = unknown>(groupId: string, key: string, ops: UpdateOp[]): Promise<{ old_value: T | null; new_value: T | null }>
  /** The values of a group (1.x name of `getGroup`). */
  list<T = unknown>(groupId: string): Promise<T[]>
  listGroups(): Promise<string[]>
}

export type StreamItem<T> = T & { id: string }

export interface StreamChannel {
  groupId: string
  id?: string
}

export interface MotiaStream<T = unknown> {
  get(groupId: string, id: string): Promise<StreamItem<T> | null>
  set(groupId: string, id: string, data: T): Promise<StreamItem<T>>
  delete(groupId: string, id: string): Promise<StreamItem<T> | null>
  getGroup(groupId: string): Promise<StreamItem<T>[]>
  send(channel: StreamChannel, event: { type: string; data: unknown }): Promise<void>
  update(groupId: string, id: string, ops: UpdateOp[]): Promise<StreamItem<T> | null>
}

/** Augmented by the generated `.stepflare/types.d.ts` with one entry per stream. */
// biome-ignore lint/suspicious/noEmptyInterface: filled by module augmentation
export interface FlowContextStateStreams {}

export type Streams = FlowContextStateStreams & Record<string, MotiaStream<unknown>>

export interface TriggerInfo {
  type: 'http' | 'queue' | 'cron' | 'state' | 'stream' | 'emit'
  index?: number
  path?: string
  method?: string
  topic?: string
  expression?: string
}

export interface FlowContext<TEmit = EmitEvent, TEnv = Record<string, unknown>> {
  traceId: string
  flows?: string[]
  emit: Emitter<TEmit>
  /** 1.x name of `emit`. */
  enqueue: Emitter<TEmit>
  state: StateManager
  streams: Streams
  logger: Logger
  trigger: TriggerInfo
  /** The Worker's bindings and vars, for the user's own resources. */
  env: TEnv
}
