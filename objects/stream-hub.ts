/**
 * StreamHub: where client stream sockets live (hibernatable), sharded over a few instances. A hub
 * speaks Motia's protocol with its clients: on a join it checks access, attaches to the group's
 * StreamObject (which answers with the sync, or the missed changes on a resume) and from then on
 * receives that group's changes with one RPC per change, which it sends to the sockets that
 * subscribed to the group or to the changed item. Frames are applied per socket in sequence
 * order: a change racing a join's sync is held until the sync is out, then sent if newer.
 * @module
 */
import { DurableObject } from 'cloudflare:workers'
import type { StreamAuthContext } from '../sdk/handler-types'
import type { JoinMessage, StreamSubscription } from '../sdk/stream-types'
import type { StepflareEnv } from '../worker/env'
import { getRuntime } from '../worker/runtime'
import { joinHookContext } from '../worker/streams/hooks'
import { streamObjectName } from '../worker/streams/registry'
import { type HubSocket, HubSubscriptions } from './stream/hub-subscriptions'

export const AUTH_HEADER = 'x-stepflare-stream-auth'
/** A client frame is a join or a leave: anything larger is closed with 1009 unread. */
export const MAX_CLIENT_FRAME_BYTES = 64 * 1024
/** A socket that sent this many frames that are not a join or a leave is closed with 1008. */
export const MAX_INVALID_FRAMES = 20

function errorFrame(code: string, message: string): string {
  return JSON.stringify({ timestamp: Date.now(), error: { code, message } })
}

export class StreamHub extends DurableObject<StepflareEnv> {
  private readonly subs: HubSubscriptions
  /** Per-socket promise chains: a socket's frames are handled strictly in order. */
  private readonly chains = new WeakMap<WebSocket, Promise<void>>()
  /** Invalid frames per socket since the hub woke (a hibernation forgives them). */
  private readonly invalid = new WeakMap<WebSocket, number>()

  constructor(ctx: DurableObjectState, env: StepflareEnv) {
    super(ctx, env)
    this.subs = new HubSubscriptions(ctx.storage.sql)
    // After a wake from hibernation, the sockets are still here; the in-memory index is not.
    this.subs.adopt(ctx.getWebSockets())
  }

  private hubName(): string {
    const name = this.ctx.storage.kv.get<string>('name')
    if (!name) throw new Error('stream hub has no name yet')
    return name
  }

  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url)
    if (!this.ctx.storage.kv.get('name')) this.ctx.storage.kv.put('name', url.searchParams.get('hub') ?? 'hub:0')
    const pair = new WebSocketPair()
    const [client, server] = [pair[0], pair[1]]
    this.ctx.acceptWebSocket(server)
    const auth = request.headers.get(AUTH_HEADER)
    this.subs.register(server, auth ? (JSON.parse(auth) as StreamAuthContext) : null)
    const protocol = request.headers.get('sec-websocket-protocol')?.split(',')[0]?.trim()
    return new Response(null, { status: 101, webSocket: client, headers: protocol ? { 'sec-websocket-protocol': protocol } : {} })
  }

  override webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): void {
    // A string's length counts UTF-16 units, at most 3 bytes each in UTF-8.
    const size = typeof message === 'string' ? message.length : message.byteLength
    if (size > MAX_CLIENT_FRAME_BYTES) {
      this.close(ws, 1009, `frame too large: client frames are at most ${MAX_CLIENT_FRAME_BYTES} bytes`)
      return
    }
    const prev = this.chains.get(ws) ?? Promise.resolve()
    const next = prev.then(() => this.handle(ws, message)).catch((err) => this.safeSend(ws, errorFrame('INTERNAL', (err as Error).message)))
    this.chains.set(ws, next)
  }

  private safeSend(ws: WebSocket, text: string): void {
    try {
      ws.send(text)
    } catch {
      // closing; webSocketClose cleans up
    }
  }

  private close(ws: WebSocket, code: number, reason: string): void {
    try {
      ws.close(code, reason)
    } catch {
      // already closing
    }
    this.ctx.waitUntil(this.dropSocket(ws))
  }

  /** Answers an invalid frame with an error frame; the socket is closed at the limit. */
  private refuse(ws: WebSocket, code: string, message: string): void {
    const count = (this.invalid.get(ws) ?? 0) + 1
    this.invalid.set(ws, count)
    if (count >= MAX_INVALID_FRAMES) {
      this.close(ws, 1008, `${MAX_INVALID_FRAMES} invalid frames: expected join and leave messages`)
      return
    }
    this.safeSend(ws, errorFrame(code, message))
  }

  private async handle(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const text = typeof message === 'string' ? message : new TextDecoder().decode(message)
    let msg: JoinMessage
    try {
      msg = JSON.parse(text) as JoinMessage
    } catch {
      this.refuse(ws, 'INVALID_JSON', `the frame is not JSON (${text.length} bytes)`)
      return
    }
    const d = msg?.data
    if (
      (msg?.type !== 'join' && msg?.type !== 'leave') ||
      typeof d?.streamName !== 'string' ||
      typeof d.groupId !== 'string' ||
      typeof d.subscriptionId !== 'string' ||
      d.groupId.length > 256 ||
      d.subscriptionId.length > 256
    ) {
      this.refuse(ws, 'INVALID_MESSAGE', 'expected {type: "join" | "leave", data: {streamName, groupId, id?, subscriptionId}} (ids of at most 256 characters)')
      return
    }
    if (msg.type === 'join') await this.join(ws, d)
    else await this.leave(ws, d.subscriptionId)
  }

  private async join(ws: WebSocket, d: JoinMessage['data']): Promise<void> {
    const config = getRuntime().streams.get(d.streamName)
    const sub: StreamSubscription = { groupId: d.groupId, ...(d.id !== undefined && d.id !== null ? { id: String(d.id) } : {}) }
    const where = { streamName: d.streamName, groupId: d.groupId, ...(sub.id !== undefined ? { id: sub.id } : {}) }
    const deny = (code: string, message: string) =>
      this.safeSend(ws, JSON.stringify({ timestamp: Date.now(), ...where, event: { type: 'event', event: { type: 'error', data: { code, message } } } }))
    if (!config) return deny('STREAM_NOT_FOUND', `no stream named ${JSON.stringify(d.streamName)}`)
    if (this.subs.has(ws, d.subscriptionId)) return
    const auth = this.subs.auth(ws)
    try {
      if (config.canAccess && !(await config.canAccess(sub, auth))) return deny('STREAM_ACCESS_DENIED', 'Access denied')
      if (config.onJoin) {
        const r = (await config.onJoin(sub, joinHookContext(this.env), auth)) as { unauthorized?: boolean } | undefined
        if (r?.unauthorized) return deny('STREAM_ACCESS_DENIED', 'Access denied')
      }
    } catch {
      return deny('STREAM_ACCESS_DENIED', 'Access denied')
    }
    const key = streamObjectName(d.streamName, d.groupId)
    // Registered (and holding back live frames) before attaching, so no change can slip between.
    this.subs.add(ws, d.subscriptionId, key, sub.id ?? null)
    const stream = this.env.STEPFLARE_STREAM.getByName(key)
    const initial = await stream.attach(this.hubName(), d.streamName, d.groupId, sub.id ?? null, typeof d.since === 'number' ? d.since : null)
    for (const f of initial.frames) this.safeSend(ws, f)
    for (const held of this.subs.ready(ws, d.subscriptionId, initial.seq)) this.safeSend(ws, held)
  }

  private async leave(ws: WebSocket, subscriptionId: string): Promise<void> {
    const removed = this.subs.remove(ws, subscriptionId)
    if (!removed) return
    await this.afterRemoval([removed.key])
    const config = getRuntime().streams.get(removed.streamName)
    await config?.onLeave?.(removed.sub, joinHookContext(this.env), this.subs.auth(ws))
  }

  /** A group whose last subscriber here left: the StreamObject stops sending to this hub. */
  private async afterRemoval(keys: string[]): Promise<void> {
    for (const key of keys) if (!this.subs.hasKey(key)) await this.env.STEPFLARE_STREAM.getByName(key).detach(this.hubName())
  }

  /** One change of a group, from its StreamObject. */
  deliver(key: string, seq: number, itemId: string | null, text: string): void {
    for (const target of this.subs.targets(key, seq, itemId, text)) this.safeSend(target, text)
    if (!this.subs.hasKey(key)) this.ctx.waitUntil(this.env.STEPFLARE_STREAM.getByName(key).detach(this.hubName()))
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    // Complete the closing handshake: with hibernation the runtime does not answer it for us.
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, reason)
    } catch {
      // already closed
    }
    await this.dropSocket(ws)
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    await this.dropSocket(ws)
  }

  private async dropSocket(ws: WebSocket): Promise<void> {
    const auth = this.subs.auth(ws)
    const removed = this.subs.drop(ws)
    await this.afterRemoval([...new Set(removed.map((r) => r.key))])
    for (const r of removed) await getRuntime().streams.get(r.streamName)?.onLeave?.(r.sub, joinHookContext(this.env), auth)
  }
}

export type { HubSocket }
