import { Stream } from '../../../sdk/client'

/**
 * One WebSocket for every live view, opened the first time a view subscribes (the stream socket
 * at `/__stepflare/streams`, Motia's protocol) and closed when the last subscription ends.
 */
let stream: Stream | undefined
let users = 0

export function acquireStream(): Stream {
  if (!stream) {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:'
    stream = new Stream(`${proto}//${location.host}/__stepflare/streams`)
  }
  users++
  return stream
}

export function releaseStream(): void {
  users = Math.max(0, users - 1)
  if (users === 0 && stream) {
    stream.close()
    stream = undefined
  }
}
