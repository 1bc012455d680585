import { describe, expect, it, vi } from 'vitest'
import { createFlowContext } from '../../worker/context'
import type { StepflareEnv } from '../../worker/env'
import { RECORDER } from '../../worker/python/bridge'
import { RunRecorder } from '../../worker/recorder'
import { Runtime } from '../../worker/runtime'

function scope() {
  const rt = new Runtime({
    steps: [
      {
        file: 'steps/create.step.ts',
        module: {
          config: { type: 'api', name: 'Create', path: '/orders', method: 'POST', emits: ['order.created'], flows: ['orders'] },
          handler: async () => ({ status: 201, body: {} }),
        },
      },
    ],
  })
  const step = rt.steps.get('Create')
  if (!step) throw new Error('no step')
  const recorder = new RunRecorder('Create', { type: 'http', method: 'POST', path: '/orders' })
  const env = { LOG_LEVEL: 'error' } as unknown as StepflareEnv
  return { rt, env, traceId: 'ABCDEF-1234567', flows: ['orders'], step, trigger: recorder.trigger, recorder }
}

describe('createFlowContext', () => {
  it('gives a handler what it destructures: emit works unbound and is recorded', async () => {
    const s = scope()
    const { emit, enqueue, traceId, flows, trigger, env } = createFlowContext(s)
    await emit({ topic: 'order.created', data: { id: 'o1' } })
    await enqueue({ topic: 'order.created', data: { id: 'o2' } })
    expect(s.recorder.emits).toEqual([
      { topic: 'order.created', data: { id: 'o1' } },
      { topic: 'order.created', data: { id: 'o2' } },
    ])
    expect({ traceId, flows, trigger, env }).toEqual({ traceId: s.traceId, flows: s.flows, trigger: s.trigger, env: s.env })
  })

  it('drops an emit of a topic the step does not declare, and logs it to the run', async () => {
    const s = scope()
    const ctx = createFlowContext(s)
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {})
    await ctx.emit({ topic: 'order.elsewhere', data: {} })
    quiet.mockRestore()
    expect(s.recorder.emits).toEqual([])
    expect(s.recorder.logs).toMatchObject([{ level: 'error', msg: 'invalid emit: topic is not in the step emits', traceId: s.traceId }])
  })

  it('builds logger, state and streams on first use, once each', () => {
    const ctx = createFlowContext(scope())
    expect(ctx.logger).toBe(ctx.logger)
    expect(ctx.state).toBe(ctx.state)
    expect(ctx.streams).toBe(ctx.streams)
    const { logger, state } = ctx
    expect(typeof logger.info).toBe('function')
    expect(typeof state.get).toBe('function')
  })

  it('carries the run recorder for the Python bridge', () => {
    const s = scope()
    expect((createFlowContext(s) as unknown as Record<symbol, unknown>)[RECORDER]).toBe(s.recorder)
  })
})

describe('RunRecorder', () => {
  it('starts with the shared empty lists and gives each run its own on the first entry', () => {
    const a = new RunRecorder('A', { type: 'cron' })
    const b = new RunRecorder('B', { type: 'cron' })
    expect(a.logs).toBe(b.logs)
    expect(Object.isFrozen(a.emits)).toBe(true)
    a.emit({ topic: 't', data: 1 })
    a.stateOp({ op: 'set', group: 'g', key: 'k', at: 1 })
    expect(a.emits).toEqual([{ topic: 't', data: 1 }])
    expect(b.emits).toEqual([])
    expect(b.stateOps).toEqual([])
    const record = b.finish('completed')
    expect(record).toMatchObject({ emits: [], stateOps: [], logs: [] })
    expect(a.finish('completed').emits).toEqual([{ topic: 't', data: 1 }])
  })
})
