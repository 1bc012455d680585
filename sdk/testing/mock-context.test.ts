import { describe, expect, it, vi } from 'vitest'
import type { EventHandler, FlowContext } from '../index'
import { createMockContext, createMockLogger, createMockState, createMockStream } from './mock-context'

describe('createMockContext', () => {
  it("has Motia's shape with the documented defaults", () => {
    const ctx = createMockContext()
    expect(ctx.traceId).toBe('mock-trace-id')
    expect(vi.isMockFunction(ctx.emit)).toBe(true)
    expect(ctx.enqueue).toBe(ctx.emit)
    for (const m of ['info', 'warn', 'error', 'debug', 'log', 'child'] as const) expect(vi.isMockFunction(ctx.logger[m])).toBe(true)
    for (const m of ['get', 'set', 'delete', 'getGroup', 'clear', 'update', 'list', 'listGroups'] as const) expect(vi.isMockFunction(ctx.state[m])).toBe(true)
  })

  it('takes the given logger, emit, traceId, state and streams', async () => {
    const logger = createMockLogger()
    const state = createMockState()
    const orders = createMockStream<{ n: number }>()
    const emit = vi.fn(async () => {})
    const ctx = createMockContext({ logger, emit, traceId: 't-1', state, streams: { orders } })
    expect(ctx.logger).toBe(logger)
    expect(ctx.state).toBe(state)
    expect(ctx.traceId).toBe('t-1')
    expect(ctx.streams.orders).toBe(orders)
    await ctx.emit({ topic: 'a', data: 1 })
    expect(emit).toHaveBeenCalledWith({ topic: 'a', data: 1 })
  })

  it('runs a handler and records what it did', async () => {
    const handler: EventHandler<{ id: string }> = async (input, { emit, state, logger, streams }) => {
      await state.set('orders', input.id, { id: input.id, status: 'paid' })
      await state.update('counters', 'paid', [{ type: 'increment', by: 2 }])
      await streams.board!.set('all', input.id, { status: 'paid' })
      logger.child({ id: input.id }).info('paid')
      await emit({ topic: 'order.paid', data: input })
    }
    const ctx = createMockContext()
    await handler({ id: 'o1' }, ctx as FlowContext)
    expect(ctx.emit).toHaveBeenCalledWith({ topic: 'order.paid', data: { id: 'o1' } })
    expect(ctx.logger.info).toHaveBeenCalledWith('paid')
    expect(await ctx.state.get('orders', 'o1')).toEqual({ id: 'o1', status: 'paid' })
    expect(await ctx.state.get('counters', 'paid')).toBe(2)
    expect(await ctx.streams.board!.get('all', 'o1')).toEqual({ id: 'o1', status: 'paid' })
    expect(ctx.streams.board!.set).toHaveBeenCalledTimes(1)
  })
})

describe('createMockState', () => {
  it('keeps values in memory, copied, with Motia semantics', async () => {
    const state = createMockState()
    const value = { a: 1 }
    expect(await state.set('g', 'k', value)).toBe(value)
    value.a = 2
    expect(await state.get('g', 'k')).toEqual({ a: 1 })
    expect(await state.get('g', 'missing')).toBeNull()
    await state.set('g', 'k2', { a: 3 })
    expect(await state.getGroup('g')).toEqual([{ a: 1 }, { a: 3 }])
    expect(await state.list('g')).toEqual([{ a: 1 }, { a: 3 }])
    expect(await state.listGroups()).toEqual(['g'])
    expect(await state.delete('g', 'k')).toEqual({ a: 1 })
    expect(await state.delete('g', 'k')).toBeNull()
    expect(await state.update('g', 'k2', [{ type: 'set', path: 'b', value: true }])).toEqual({ old_value: { a: 3 }, new_value: { a: 3, b: true } })
    await state.clear('g')
    expect(await state.getGroup('g')).toEqual([])
    expect(await state.listGroups()).toEqual([])
  })

  it('can be overridden per call like any mock', async () => {
    const state = createMockState()
    state.get.mockResolvedValueOnce({ forced: true })
    expect(await state.get('g', 'k')).toEqual({ forced: true })
    expect(await state.get('g', 'k')).toBeNull()
  })
})

describe('createMockStream', () => {
  it('returns items with their id and supports update and delete', async () => {
    const s = createMockStream<{ status: string; n?: number }>()
    expect(await s.set('g', 'i', { status: 'new' })).toEqual({ id: 'i', status: 'new' })
    expect(await s.update('g', 'i', [{ type: 'increment', path: 'n', by: 3 }])).toEqual({ id: 'i', status: 'new', n: 3 })
    expect(await s.getGroup('g')).toEqual([{ id: 'i', status: 'new', n: 3 }])
    await s.send({ groupId: 'g' }, { type: 'ping', data: 1 })
    expect(s.send).toHaveBeenCalledWith({ groupId: 'g' }, { type: 'ping', data: 1 })
    expect(await s.delete('g', 'i')).toEqual({ id: 'i', status: 'new', n: 3 })
    expect(await s.get('g', 'i')).toBeNull()
  })
})
