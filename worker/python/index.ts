/**
 * The Python bridge inside the Worker: tokens, callback verification and handling, invoking the
 * runner, and the adapter that makes a Python step a regular step. See python-bridge/PROTOCOL.md.
 * @module
 */
export { type CallbackHandlerOptions, type CallbackTarget, executeOp, handleCallback, type StreamLookup } from './callback-handler'
export {
  CallbackArgumentError,
  PythonBridgeConfigError,
  PythonBridgeError,
  PythonProtocolError,
  PythonRunnerUnavailableError,
  PythonStepError,
  UnknownStreamError,
} from './errors'
export { DEFAULT_GRACE_MS, httpTransport, invokePython, type PythonTransport, RUNNER_ORIGIN } from './invoke'
export { MemoryStateManager } from './memory-state'
export * from './protocol'
export {
  createPythonHandler,
  DEFAULT_PYTHON_TIMEOUT_MS,
  type PythonBridge,
  type PythonConfigEntry,
  type PythonConnection,
  type PythonStepRef,
  pythonStepModule,
} from './python-step'
export { MemoryReplayGuard, type ReplayGuard } from './replay-guard'
export { callbackKey, claimsPart, decodeClaims, issueToken, signCallback, TOKEN_GRACE_MS, type TokenClaims, type TokenInput, tokenFromClaims } from './token'
export { type CallbackRefusal, type RefusalCode, refusalResponse, type VerifiedCallback, type VerifyOptions, verifyCallback } from './verify-callback'
