import { describe, expect, it } from 'vitest'
import { PythonBridgeConfigError, PythonProtocolError, PythonRunnerUnavailableError } from '../worker/python/errors'
import { EmitError, HandlerTimeoutError, StepflareError, ValidationError } from './errors'

describe('named errors', () => {
  // Names are written out, so a bundle that renames a clashing class (no keep_names) keeps them.
  it('carry their own name and code, in messages and JSON', () => {
    const all = [
      [new StepflareError('m'), 'StepflareError', 'STEPFLARE_ERROR'],
      [new ValidationError('m', []), 'ValidationError', 'VALIDATION_FAILED'],
      [new EmitError('m'), 'EmitError', 'EMIT_REFUSED'],
      [new HandlerTimeoutError('m'), 'HandlerTimeoutError', 'HANDLER_TIMEOUT'],
      [new PythonBridgeConfigError('m'), 'PythonBridgeConfigError', 'PYTHON_BRIDGE_CONFIG'],
      [new PythonRunnerUnavailableError('m'), 'PythonRunnerUnavailableError', 'PYTHON_RUNNER_UNAVAILABLE'],
      [new PythonProtocolError('m'), 'PythonProtocolError', 'PYTHON_PROTOCOL_ERROR'],
    ] as const
    for (const [err, name, code] of all) {
      expect(err).toBeInstanceOf(StepflareError)
      expect(err.toJSON()).toMatchObject({ name, code, message: 'm' })
      expect(String(err)).toBe(`${name}: m`)
    }
  })

  it('keeps the cause', () => {
    const cause = new Error('root')
    expect(new EmitError('m', { cause }).cause).toBe(cause)
  })
})
