/**
 * Named errors of the Python bridge. A Python handler's own exception arrives as a
 * {@link PythonStepError} whose `stack` is the Python traceback.
 * @module
 */
import { StepflareError } from '../../sdk/errors'
import type { PythonErrorInfo } from './protocol'

export class PythonBridgeError extends StepflareError {
  override name = 'PythonBridgeError'
  override readonly code: string = 'PYTHON_BRIDGE_ERROR'
}

/** A misconfigured bridge: a missing or short secret, a step kind the runner cannot run. */
export class PythonBridgeConfigError extends PythonBridgeError {
  override name = 'PythonBridgeConfigError'
  override readonly code = 'PYTHON_BRIDGE_CONFIG'
}

/** The runner could not be reached, did not answer in time, or answered with a server error. */
export class PythonRunnerUnavailableError extends PythonBridgeError {
  override name = 'PythonRunnerUnavailableError'
  override readonly code = 'PYTHON_RUNNER_UNAVAILABLE'
}

/** The runner answered something that is not the protocol (or refused our request as malformed). */
export class PythonProtocolError extends PythonBridgeError {
  override name = 'PythonProtocolError'
  override readonly code = 'PYTHON_PROTOCOL_ERROR'
}

/** The Python handler raised (or its module failed to load). */
export class PythonStepError extends PythonBridgeError {
  override name = 'PythonStepError'
  override readonly code: string
  readonly pythonName: string
  readonly pythonStack?: string

  constructor(step: string, info: PythonErrorInfo, options?: { cause?: unknown }) {
    super(`${info.name}: ${info.message}`, options)
    this.code = info.code ?? 'PYTHON_ERROR'
    this.pythonName = info.name
    this.pythonStack = info.stack
    // Traces and dead letters show the Python traceback, not this JavaScript frame.
    this.stack = info.stack ? `${info.stack.trimEnd()}\n    (Python step ${step})` : `${this.name}: ${this.message}`
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), pythonName: this.pythonName, stack: this.stack }
  }
}

/** Bad arguments in a callback (`args[1] (key): expected a non-empty string`). */
export class CallbackArgumentError extends PythonBridgeError {
  override readonly code = 'BAD_ARGS'
}

/** A callback for a stream the Worker does not have. */
export class UnknownStreamError extends PythonBridgeError {
  override readonly code = 'UNKNOWN_STREAM'
}
