/**
 * `createMockContext`: a handler's `ctx` for unit tests, in Motia's shape
 * (`{logger, emit, traceId, state}`), for vitest. Every member is a `vi.fn` mock, so calls can be
 * asserted, and the defaults work: `state` and `streams` keep values in memory, `emit` records
 * and resolves. `streams` is mocked too (Motia's was not): any `ctx.streams.<name>` exists.
 *
 * @example
 * ```ts
 * const ctx = createMockContext()
 * await handler({ body: { id: 'o1' } } as never, ctx)
 * expect(ctx.emit).toHaveBeenCalledWith({ topic: 'order.created', data: { id: 'o1' } })
 * expect(await ctx.state.get('orders', 'o1')).toMatchObject({ id: 'o1' })
 * ```
 * @module
 */
import { type Mock, vi } from 'vitest'
import { applyUpdateOps } from '../../objects/update-ops'
import type { EmitEvent, Emitter, FlowContext, Logger, MotiaStream, StateManager, StreamItem, Streams, TriggerInfo, UpdateOp } from '../context-types'

type Mocked<T> = { [K in keyof T]: T[K] extends (...args: infer A) => infer R ? Mock<(...args: A) => R> : T[K] }

/** A logger whose methods are mocks (`child` returns the same logger). */
export type MockLogger = Logger & Mocked<Omit<Logger, 'child'>> & { child: Mock<(meta: Record<string, unknown>) => MockLogger> }
/** A state manager whose methods are mocks; usable wherever a `StateManager` is. */
export type MockState = StateManager & Mocked<StateManager>
export type MockStream<T = unknown> = MotiaStream<T> & Mocked<MotiaStream<T>>

export interface MockContext<TEmit = EmitEvent> extends Omit<FlowContext<TEmit>, 'emit' | 'enqueue' | 'logger' | 'state' | 'streams'> {
  emit: Mock<Emitter<TEmit>>
  /** The same mock as `emit` (1.x name). */
  enqueue: Mock<Emitter<TEmit>>
  logger: MockLogger
  state: MockState
  streams: Streams & Record<string, MockStream>
}

export interface MockContextOptions<TEmit = EmitEvent> {
  logger?: Logger
  emit?: Emitter<TEmit>
  traceId?: string
  state?: StateManager
  /** Streams by name; any other name gets an in-memory mock stream on first use. */
  streams?: Record<string, MotiaStream<unknown>>
  trigger?: TriggerInfo
  env?: Record<string, unknown>
  flows?: string[]
}

export function createMockLogger(): MockLogger {
  const logger: MockLogger = {
    info: vi.fn(),
    warn: vi.fn(),
    error: vi.fn(),
    debug: vi.fn(),
    log: vi.fn(),
    child: vi.fn(() => logger),
  }
  return logger
}

const copy = <T>(v: T): T => (v === undefined ? v : structuredClone(v))

/** An in-memory state manager whose methods are mocks. */
export function createMockState(): MockState {
  const groups = new Map<string, Map<string, unknown>>()
  const group = (g: string) => groups.get(g) ?? groups.set(g, new Map()).get(g)!
  const values = async <T>(g: string) => [...(groups.get(g)?.values() ?? [])].map(copy) as T[]
  return {
    get: vi.fn(async <T>(g: string, k: string) => (groups.get(g)?.has(k) ? copy(groups.get(g)!.get(k)) : null) as T | null),
    set: vi.fn(async <T>(g: string, k: string, v: T) => {
      group(g).set(k, copy(v))
      return v
    }),
    delete: vi.fn(async <T>(g: string, k: string) => {
      const old = groups.get(g)?.get(k)
      groups.get(g)?.delete(k)
      return (old === undefined ? null : old) as T | null
    }),
    getGroup: vi.fn(values),
    list: vi.fn(values),
    clear: vi.fn(async (g: string) => {
      groups.delete(g)
    }),
    update: vi.fn(async <T>(g: string, k: string, ops: UpdateOp[]) => {
      const old = (groups.get(g)?.get(k) ?? null) as T | null
      const next = applyUpdateOps(old, ops) as T | null
      group(g).set(k, next)
      return { old_value: copy(old), new_value: copy(next) }
    }),
    listGroups: vi.fn(async () => [...groups.keys()].filter((g) => (groups.get(g)?.size ?? 0) > 0)),
  } as MockState
}

/** An in-memory stream whose methods are mocks; items come back with their `id`, as in Motia. */
export function createMockStream<T = unknown>(): MockStream<T> {
  const groups = new Map<string, Map<string, StreamItem<T>>>()
  const group = (g: string) => groups.get(g) ?? groups.set(g, new Map()).get(g)!
  return {
    get: vi.fn(async (g: string, id: string) => copy(groups.get(g)?.get(id) ?? null)),
    set: vi.fn(async (g: string, id: string, data: T) => {
      const item = { ...copy(data), id } as StreamItem<T>
      group(g).set(id, item)
      return copy(item)
    }),
    delete: vi.fn(async (g: string, id: string) => {
      const old = groups.get(g)?.get(id) ?? null
      groups.get(g)?.delete(id)
      return old
    }),
    getGroup: vi.fn(async (g: string) => [...(groups.get(g)?.values() ?? [])].map(copy)),
    send: vi.fn(async () => {}),
    update: vi.fn(async (g: string, id: string, ops: UpdateOp[]) => {
      const next = applyUpdateOps(groups.get(g)?.get(id) ?? {}, ops) as StreamItem<T>
      group(g).set(id, { ...next, id })
      return copy({ ...next, id })
    }),
  }
}

/** Streams by name; a name nobody set up gets an in-memory mock stream on first use. */
function mockStreams(given: Record<string, MotiaStream<unknown>> = {}): MockContext['streams'] {
  const made = new Map<string, MotiaStream<unknown>>(Object.entries(given))
  return new Proxy({} as MockContext['streams'], {
    get(_target, name) {
      if (typeof name !== 'string') return undefined
      return made.get(name) ?? made.set(name, createMockStream()).get(name)
    },
    has: (_target, name) => typeof name === 'string',
    ownKeys: () => [...made.keys()],
    getOwnPropertyDescriptor: (_target, name) =>
      typeof name === 'string' && made.has(name) ? { value: made.get(name), enumerable: true, configurable: true } : undefined,
  })
}

export function createMockContext<TEmit = EmitEvent>(options: MockContextOptions<TEmit> = {}): MockContext<TEmit> {
  const emit = vi.fn(options.emit ?? (async (_event: TEmit) => {})) as Mock<Emitter<TEmit>>
  return {
    traceId: options.traceId ?? 'mock-trace-id',
    flows: options.flows ?? [],
    emit,
    enqueue: emit,
    logger: (options.logger as MockLogger | undefined) ?? createMockLogger(),
    state: (options.state as MockState | undefined) ?? createMockState(),
    streams: mockStreams(options.streams),
    trigger: options.trigger ?? { type: 'http' },
    env: options.env ?? {},
  }
}
