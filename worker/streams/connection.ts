/**
 * A client's stream WebSocket (at `/` as Motia's clients expect, and at `/__stepflare/streams`).
 * The Worker holds the client socket and relays: per (stream, group) the connection joined, one
 * hibernatable socket to that group's StreamObject, which sends Motia's frames straight through.
 * Client frames are handled strictly in order (a leave cannot overtake its join); junk gets an
 * error frame and the connection stays up.
 * @module
 */

import type { ControlMessage } from '../../objects/stream-object'
import type { StreamAuthContext } from '../../sdk/handler-types'
import type { JoinMessage, StreamConfig, StreamSubscription } from '../../sdk/stream-types'
import type { StepflareEnv } from '../env'
import { createLogger } from '../logger'
import type { Runtime } from '../runtime'
import { createStateManager } from '../state-client'
import { streamObjectName } from './registry'
import { createStreams } from './stream-client'

interface GroupLink {
  ws: WebSocket
  subs: Set<string>
}

interface SubscriptionEntry {
  key: string
  sub: StreamSubscription
  config: StreamConfig
}

function errorFrame(code: string, message: string): string {
  return JSON.stringify({ timestamp: Date.now(), error: { code, message } })
}

export class StreamConnection {
  private readonly links = new Map<string, Promise<GroupLink>>()
  private readonly subscriptions = new Map<string, SubscriptionEntry>()
  private chain: Promise<void> = Promise.resolve()
  private closed = false

  constructor(
    private readonly client: WebSocket,
    private readonly env: StepflareEnv,
    private readonly rt: Runtime,
    private readonly auth: StreamAuthContext | null,
  ) {}

  onMessage(data: string | ArrayBuffer): void {
    this.chain = this.chain.then(() => this.handle(data)).catch((err) => this.send(errorFrame('INTERNAL', (err as Error).message)))
  }

  private send(text: string): void {
    if (this.closed) return
    try {
      this.client.send(text)
    } catch {
      this.close()
    }
  }

  private async handle(data: string | ArrayBuffer): Promise<void> {
    const text = typeof data === 'string' ? data : new TextDecoder().decode(data)
    let msg: JoinMessage
    try {
      msg = JSON.parse(text) as JoinMessage
    } catch {
      this.send(errorFrame('INVALID_JSON', `the frame is not JSON (${text.length} bytes)`))
      return
    }
    const d = msg?.data
    if (
      (msg?.type !== 'join' && msg?.type !== 'leave') ||
      typeof d?.streamName !== 'string' ||
      typeof d.groupId !== 'string' ||
      typeof d.subscriptionId !== 'string'
    ) {
      this.send(errorFrame('INVALID_MESSAGE', 'expected {type: "join" | "leave", data: {streamName, groupId, id?, subscriptionId}}'))
      return
    }
    if (msg.type === 'leave') await this.leave(d.subscriptionId)
    else await this.join(d)
  }

  private hookContext() {
    const logger = createLogger({ stream: true }, () => {}, this.env.LOG_LEVEL)
    return { logger, state: createStateManager(this.env), streams: createStreams(this.env, this.rt.streams, () => {}) }
  }

  private async join(d: JoinMessage['data']): Promise<void> {
    const config = this.rt.streams.get(d.streamName)
    const where = { streamName: d.streamName, groupId: d.groupId, ...(d.id !== undefined ? { id: String(d.id) } : {}) }
    const deny = (code: string, message: string) =>
      this.send(JSON.stringify({ timestamp: Date.now(), ...where, event: { type: 'event', event: { type: 'error', data: { code, message } } } }))
    if (!config) return deny('STREAM_NOT_FOUND', `no stream named ${JSON.stringify(d.streamName)}`)
    if (this.subscriptions.has(d.subscriptionId)) return
    const sub: StreamSubscription = { groupId: d.groupId, ...(d.id !== undefined ? { id: String(d.id) } : {}) }
    try {
      if (config.canAccess && !(await config.canAccess(sub, this.auth))) return deny('STREAM_ACCESS_DENIED', 'Access denied')
      if (config.onJoin) {
        const r = (await config.onJoin(sub, this.hookContext(), this.auth)) as { unauthorized?: boolean } | undefined
        if (r?.unauthorized) return deny('STREAM_ACCESS_DENIED', 'Access denied')
      }
    } catch {
      return deny('STREAM_ACCESS_DENIED', 'Access denied')
    }
    const key = streamObjectName(d.streamName, d.groupId)
    const link = await this.link(key, d.streamName, d.groupId)
    if (this.closed) return
    link.subs.add(d.subscriptionId)
    this.subscriptions.set(d.subscriptionId, { key, sub, config })
    const control: ControlMessage = {
      op: 'join',
      subscriptionId: d.subscriptionId,
      ...(sub.id !== undefined ? { id: sub.id } : {}),
      ...(typeof d.since === 'number' ? { since: d.since } : {}),
    }
    link.ws.send(JSON.stringify(control))
  }

  private async leave(subscriptionId: string): Promise<void> {
    const entry = this.subscriptions.get(subscriptionId)
    if (!entry) return
    this.subscriptions.delete(subscriptionId)
    const link = await this.links.get(entry.key)
    if (link) {
      link.ws.send(JSON.stringify({ op: 'leave', subscriptionId } satisfies ControlMessage))
      link.subs.delete(subscriptionId)
      if (link.subs.size === 0) {
        this.links.delete(entry.key)
        link.ws.close(1000, 'no subscriptions left')
      }
    }
    await entry.config.onLeave?.(entry.sub, this.hookContext(), this.auth)
  }

  private link(key: string, streamName: string, groupId: string): Promise<GroupLink> {
    let link = this.links.get(key)
    if (!link) {
      link = (async () => {
        const url = `https://stream.internal/connect?stream=${encodeURIComponent(streamName)}&group=${encodeURIComponent(groupId)}`
        const res = await this.env.STEPFLARE_STREAM.getByName(key).fetch(url, { headers: { upgrade: 'websocket' } })
        const ws = res.webSocket
        if (!ws) throw new Error(`stream object refused the subscriber socket (${res.status})`)
        ws.accept()
        // Frames from the object are final client frames: relay them untouched.
        ws.addEventListener('message', (e) => this.send(e.data as string))
        ws.addEventListener('close', () => {
          if (this.links.get(key) === link) this.links.delete(key)
        })
        return { ws, subs: new Set<string>() }
      })()
      this.links.set(key, link)
      link.catch(() => this.links.delete(key))
    }
    return link
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    for (const p of this.links.values()) p.then((l) => l.ws.close(1000, 'client gone')).catch(() => {})
    this.links.clear()
    const ctx = this.hookContext()
    for (const e of this.subscriptions.values()) Promise.resolve(e.config.onLeave?.(e.sub, ctx, this.auth)).catch(() => {})
    this.subscriptions.clear()
  }
}
