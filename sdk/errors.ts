/**
 * Named errors that cross boundaries (isolate, Durable Object RPC, Python). Each carries a stable
 * `code` and is JSON-serialisable through `toJSON`.
 * @module
 */

export interface ValidationIssue {
  path: string
  message: string
}

export class StepflareError extends Error {
  // Written out rather than read from the class: a bundle built without `keep_names` may rename a
  // class whose name clashes with another (cli/wrangler-config.ts KEEP_NAMES).
  override name = 'StepflareError'
  readonly code: string = 'STEPFLARE_ERROR'
  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message }
  }
}

/** Data that failed a schema: a request body, an event's input, a stream item. */
export class ValidationError extends StepflareError {
  override name = 'ValidationError'
  override readonly code = 'VALIDATION_FAILED'
  constructor(
    message: string,
    readonly issues: ValidationIssue[],
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues }
  }
}

/** An emit that cannot be delivered as asked (a FIFO topic without a group id, an oversized payload). */
export class EmitError extends StepflareError {
  override name = 'EmitError'
  override readonly code = 'EMIT_REFUSED'
}

/** A handler attempt that ran past its `infrastructure.handler.timeout`. */
export class HandlerTimeoutError extends StepflareError {
  override name = 'HandlerTimeoutError'
  override readonly code = 'HANDLER_TIMEOUT'
}

export function serializeError(err: unknown): { name: string; message: string; stack?: string; code?: string; issues?: ValidationIssue[] } {
  if (err instanceof Error) {
    const out: { name: string; message: string; stack?: string; code?: string; issues?: ValidationIssue[] } = {
      name: err.name,
      message: err.message,
    }
    if (err.stack) out.stack = err.stack
    const code = (err as { code?: unknown }).code
    if (typeof code === 'string') out.code = code
    if (err instanceof ValidationError) out.issues = err.issues
    return out
  }
  return { name: 'Error', message: typeof err === 'string' ? err : JSON.stringify(err) }
}
