/**
 * Builds Motia's `req` (`pathParams, queryParams, body, headers, rawBody`) from a Hono context.
 * Bodies are parsed by content type: JSON, urlencoded forms, multipart forms, text.
 * @module
 */
import type { Context } from 'hono'
import type { ApiRequest } from '../../sdk/handler-types'
import type { BodyType } from '../../sdk/types'
import { checkPayload } from '../payload-limits'

export class BodyParseError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'BodyParseError'
  }
}

function queryRecord(url: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  const q = url.indexOf('?')
  if (q < 0) return out
  for (const [k, v] of new URLSearchParams(url.slice(q + 1))) {
    const prev = out[k]
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v]
  }
  return out
}

function formRecord(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [k, v] of params) {
    const prev = out[k]
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v]
  }
  return out
}

function headerRecord(h: Headers): Record<string, string> {
  const out: Record<string, string> = {}
  h.forEach((v, k) => {
    out[k] = v
  })
  return out
}

/** The encoding a Content-Type header names, in the terms of a step's `bodyTypes`. */
export function bodyTypeOf(contentType: string | null): BodyType {
  const type = (contentType ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? ''
  if (type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'))) return 'json'
  if (type === 'application/x-www-form-urlencoded') return 'form'
  if (type === 'multipart/form-data') return 'multipart'
  return 'text'
}

const MEDIA_TYPES: Record<BodyType, string> = {
  json: 'application/json',
  form: 'application/x-www-form-urlencoded',
  multipart: 'multipart/form-data',
  text: 'text/plain',
}

/** The 415 body for a request whose encoding the step does not accept, or undefined. */
export function unsupportedBody(raw: Request, accepted: readonly BodyType[]): Record<string, unknown> | undefined {
  const found = bodyTypeOf(raw.headers.get('content-type'))
  if (accepted.includes(found)) return undefined
  const types = accepted.map((t) => MEDIA_TYPES[t])
  return {
    error: 'Unsupported Media Type',
    contentType: raw.headers.get('content-type'),
    accepted: types,
    message: `${raw.method} ${new URL(raw.url).pathname} validates its body against a bodySchema and accepts ${types.join(', ')}; send Content-Type: ${types[0]} (a step accepts other encodings when it lists them in bodyTypes)`,
  }
}

/** Reads and parses the body by its content type: `body` and, unless a multipart form, `rawBody`. */
async function readBody(raw: Request): Promise<{ body: unknown; rawBody: string }> {
  const type = (raw.headers.get('content-type') ?? '').toLowerCase()
  if (type.startsWith('multipart/form-data')) {
    const form = await raw.formData()
    const out: Record<string, unknown> = {}
    form.forEach((v, k) => {
      out[k] = typeof v === 'string' ? v : { name: (v as File).name, type: (v as File).type, size: (v as File).size }
    })
    return { body: out, rawBody: '' }
  }
  const rawBody = await raw.text()
  if (rawBody === '') return { body: {}, rawBody }
  if (type.includes('json')) {
    let body: unknown
    try {
      body = JSON.parse(rawBody)
    } catch (err) {
      throw new BodyParseError(`request body is not valid JSON: ${(err as Error).message}`, { cause: err })
    }
    checkPayload(body, 'the request body')
    return { body, rawBody }
  }
  if (type.startsWith('application/x-www-form-urlencoded')) return { body: formRecord(new URLSearchParams(rawBody)), rawBody }
  return { body: rawBody, rawBody }
}

/**
 * `withParams`: whether the route's path has `:params` (without, Hono's decoding is skipped).
 * A request without a body is built synchronously (most GETs): the caller need not wait a turn.
 */
export function buildApiRequest(c: Context, withParams = true): ApiRequest | Promise<ApiRequest> {
  const raw = c.req.raw
  if (!raw.body) return apiRequest(c, raw, withParams, {}, '')
  return readBody(raw).then(({ body, rawBody }) => apiRequest(c, raw, withParams, body, rawBody))
}

function apiRequest(c: Context, raw: Request, withParams: boolean, body: unknown, rawBody: string): ApiRequest {
  // `headers` is copied into a plain object on first read (most handlers never read it); middleware
  // can still change or replace it. An accessor in the literal keeps the object's shape fast.
  let headers: Record<string, string> | undefined
  return {
    pathParams: withParams ? (c.req.param() as Record<string, string>) : {},
    queryParams: queryRecord(raw.url),
    body,
    rawBody,
    method: raw.method,
    get headers() {
      headers ??= headerRecord(raw.headers)
      return headers
    },
    set headers(v: Record<string, string>) {
      headers = v
    },
  } as ApiRequest
}
