/**
 * The limits every payload meets at the edge: event data, state values, stream items and JSON
 * request bodies of the system routes and API steps. A payload nested deeper than
 * {@link MAX_DEPTH} levels, or whose JSON is larger than {@link MAX_PAYLOAD_BYTES}, is refused
 * with a {@link PayloadLimitError} (400 / 413) before anything is stored: deeper data would
 * overflow the stack of a serializer further on, larger data would not fit a Durable Object's
 * SQLite row (2 MB, with the row's other columns).
 * @module
 */
import { StepflareError } from '../sdk/errors'

/** Levels of nested objects and arrays; the value itself is level 1. */
export const MAX_DEPTH = 100
/** Bytes of the payload's UTF-8 JSON. */
export const MAX_PAYLOAD_BYTES = 1_900_000

export class PayloadLimitError extends StepflareError {
  override name = 'PayloadLimitError'
  override readonly code: 'PAYLOAD_TOO_DEEP' | 'PAYLOAD_TOO_LARGE'
  /** The HTTP status a request that carried this payload is answered with. */
  readonly status: 400 | 413
  constructor(
    message: string,
    readonly limit: { maxDepth: number } | { maxBytes: number },
  ) {
    super(message)
    this.code = 'maxDepth' in limit ? 'PAYLOAD_TOO_DEEP' : 'PAYLOAD_TOO_LARGE'
    this.status = 'maxDepth' in limit ? 400 : 413
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), limit: this.limit }
  }
}

export function isPayloadLimitError(err: unknown): err is PayloadLimitError {
  return err instanceof PayloadLimitError
}

const encoder = new TextEncoder()

/** Only called for large payloads: the copy it makes is the price of an exact count. */
export function utf8Length(text: string): number {
  return encoder.encode(text).byteLength
}

function tooLarge(what: string, bytes: number): PayloadLimitError {
  return new PayloadLimitError(
    `${what} is ${formatBytes(bytes)} as JSON; the limit is ${formatBytes(MAX_PAYLOAD_BYTES)} (a Durable Object SQLite row holds 2 MB)`,
    { maxBytes: MAX_PAYLOAD_BYTES },
  )
}

export function formatBytes(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)} MB` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} kB` : `${n} bytes`
}

/**
 * Throws a {@link PayloadLimitError} when `value` is nested deeper than {@link MAX_DEPTH} or its JSON
 * is larger than {@link MAX_PAYLOAD_BYTES}. One iterative walk (no recursion, so no stack to
 * overflow) counts depth and a lower bound of the size; only a payload whose bound reaches a third
 * of the limit is serialised to be measured exactly.
 */
export function checkPayload(value: unknown, what: string): void {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'string' && value.length * 3 > MAX_PAYLOAD_BYTES) {
      const bytes = utf8Length(value) + 2
      if (bytes > MAX_PAYLOAD_BYTES) throw tooLarge(what, bytes)
    }
    return
  }
  let approx = 0
  const stack: [unknown, number][] = [[value, 1]]
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number]
    if (typeof node === 'string') {
      approx += node.length + 2
      continue
    }
    if (node === null || typeof node !== 'object') {
      approx += 4
      continue
    }
    if (depth > MAX_DEPTH) {
      throw new PayloadLimitError(`${what} is nested deeper than ${MAX_DEPTH} levels of objects and arrays`, { maxDepth: MAX_DEPTH })
    }
    approx += 2
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) stack.push([node[i], depth + 1])
    } else {
      for (const key in node) {
        approx += key.length + 3
        stack.push([(node as Record<string, unknown>)[key], depth + 1])
      }
    }
  }
  if (approx * 3 > MAX_PAYLOAD_BYTES) {
    const json = JSON.stringify(value)
    const bytes = json === undefined ? 0 : utf8Length(json)
    if (bytes > MAX_PAYLOAD_BYTES) throw tooLarge(what, bytes)
  }
}
