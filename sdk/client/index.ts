/**
 * `stepflare/client`: subscribe to stepflare (and Motia) streams from a browser or Node.
 *
 * @example
 * ```ts
 * import { Stream } from 'stepflare/client'
 * const stream = new Stream('ws://localhost:8787')
 * const todos = stream.subscribeGroup('todo', 'inbox')
 * todos.addChangeListener((items) => render(items))
 * ```
 * @module
 */
export { Stream, type StreamOptions, type WebSocketLike } from './stream.js'
export { type ResumeInfo, StreamGroupSubscription, StreamItemSubscription, StreamSubscription, type SubscriptionSpec } from './subscription.js'
