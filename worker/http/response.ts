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

/** The body as sent, and the content type it implies when the handler set none. */
function payload(body: unknown): { bytes: BodyInit | null; type: string | null } {
  if (body === undefined) return { bytes: null, type: null }
  if (typeof body === 'string') return { bytes: body, type: 'text/plain; charset=utf-8' }
  if (body instanceof ArrayBuffer) return { bytes: new Uint8Array(body), type: 'application/octet-stream' }
  if (ArrayBuffer.isView(body)) return { bytes: new Uint8Array(body.buffer, body.byteOffset, body.byteLength), type: 'application/octet-stream' }
  if (isSerializedBuffer(body)) return { bytes: new Uint8Array(body.data), type: 'application/octet-stream' }
  return { bytes: JSON.stringify(body), type: 'application/json; charset=utf-8' }
}

/**
 * The handler's headers win over `extraHeaders` (case-insensitively). Without handler headers the
 * response gets a plain object rather than a `Headers` (in workerd each `Headers` call crosses into
 * the runtime; a CPU profile showed them on every request).
 */
export function toResponse(result: ApiResponse, extraHeaders: Record<string, string> = {}): Response {
  const { status } = result
  const { bytes, type } = NULL_BODY.has(status) ? { bytes: null, type: null } : payload(result.body)
  if (!result.headers) return new Response(bytes, { status, headers: type ? { 'content-type': type, ...extraHeaders } : extraHeaders })
  const headers = new Headers(result.headers)
  for (const k in extraHeaders) if (!headers.has(k)) headers.set(k, extraHeaders[k] as string)
  if (type && !headers.has('content-type')) headers.set('content-type', type)
  return new Response(bytes, { status, headers })
}

export function jsonError(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } })
}
