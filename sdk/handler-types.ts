/**
 * Handler signatures, Motia 0.17 compatible: API `(req, ctx)`, event `(input, ctx)`, cron `(ctx)`.
 * @module
 */
import type { EmitEvent, FlowContext } from './context-types'

/**
 * What an API handler receives. `TPathParams` is the path's parameters (`/orders/:id` gives
 * `{ id: string }` in the generated types); it defaults to any string keys.
 */
export interface ApiRequest<TBody = unknown, TPathParams = Record<string, string>> {
  pathParams: TPathParams
  queryParams: Record<string, string | string[]>
  body: TBody
  headers: Record<string, string | string[]>
  rawBody: string
  method?: string
}

export type ApiResponseBody = string | Uint8Array | ArrayBuffer | object | null

export interface ApiResponse<TStatus extends number = number, TBody = ApiResponseBody> {
  status: TStatus
  headers?: Record<string, string>
  body: TBody
}

export type ApiMiddleware<TBody = unknown, TEmit = EmitEvent, TResult = ApiResponse> = (
  req: ApiRequest<TBody>,
  ctx: FlowContext<TEmit>,
  next: () => Promise<TResult>,
) => Promise<TResult>

export type ApiRouteHandler<TBody = unknown, TResult = ApiResponse, TEmit = EmitEvent, TPathParams = Record<string, string>> = (
  req: ApiRequest<TBody, TPathParams>,
  ctx: FlowContext<TEmit>,
) => Promise<TResult>

export type EventHandler<TInput = unknown, TEmit = EmitEvent> = (input: TInput, ctx: FlowContext<TEmit>) => Promise<void>

export type CronHandler<TEmit = EmitEvent> = (ctx: FlowContext<TEmit>) => Promise<void>

/**
 * One entry per step name, filled by the generated `.stepflare/types.d.ts` through module
 * augmentation of `stepflare` (and `motia`). An interface so that augmentation merges.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by module augmentation
export interface Handlers {}

/** Auth context of a stream connection; augmented from `streamAuth.contextSchema`. */
// biome-ignore lint/suspicious/noEmptyInterface: filled by module augmentation
export interface StreamAuthContext {}
