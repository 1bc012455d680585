/**
 * Motia's response mapping: `{status, headers?, body}`; a string or binary body is sent raw,
 * anything else as JSON. A result that is not such an object is a handler error (500).
 * @module
 */
import type { ApiResponse } from '../../sdk/handler-types'

export function isApiResponse(v: unknown): v is ApiResponse {
  return typeof v === 'object' && v !== null && typeof (v as ApiResponse).status === 'number'
}

/** Node's `Buffer` serialised to JSON (as it arrives from code that stringified one). */
function isSerializedBuffer(v: unknown): v is { type: 'Buffer'; data: number[] } {
  return typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'Buffer' && Array.isArray((v as { data?: unknown }).data)
}

const NULL_BODY = new Set([101, 204, 205, 304])

export function toResponse(result: ApiResponse, extraHeaders: Record<string, string> = {}): Response {
  const headers = new Headers(result.headers ?? extraHeaders)
  if (result.headers) for (const k in extraHeaders) if (!headers.has(k)) headers.set(k, extraHeaders[k] as string)
  const { status, body } = result
  if (NULL_BODY.has(status) || body === undefined) return new Response(null, { status, headers })
  if (typeof body === 'string') {
    if (!headers.has('content-type')) headers.set('content-type', 'text/plain; charset=utf-8')
    return new Response(body, { status, headers })
  }
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body) || isSerializedBuffer(body)) {
    const bytes = isSerializedBuffer(body)
      ? new Uint8Array(body.data)
      : body instanceof ArrayBuffer
        ? new Uint8Array(body)
        : new Uint8Array(body.buffer, body.byteOffset, body.byteLength)
    if (!headers.has('content-type')) headers.set('content-type', 'application/octet-stream')
    return new Response(bytes, { status, headers })
  }
  if (!headers.has('content-type')) headers.set('content-type', 'application/json; charset=utf-8')
  return new Response(JSON.stringify(body), { status, headers })
}

export function jsonError(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } })
}
