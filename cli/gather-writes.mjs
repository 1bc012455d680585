/**
 * Gathers a stream's writes into one write per {@link GATHER_MS}, for the `wrangler dev` that
 * `stepflare dev` runs (installed by wrangler-preload.mjs). Wrangler writes a line per request, in
 * a write of its own, and each write woke `stepflare dev` to relay it: under load that cost the dev
 * server 0.05 ms of CPU per request. Order within a stream is kept; a large burst goes out at
 * {@link GATHER_MAX_BYTES}; what is still gathered at exit is written then.
 * @module
 */
import { writeSync } from 'node:fs'

export const GATHER_MS = 50
export const GATHER_MAX_BYTES = 64 * 1024

/**
 * Replaces `stream.write` with one that gathers. Returns a function for the process's `exit` event:
 * it writes what is gathered synchronously to `fd` and puts the stream's own `write` back, so that
 * what is written after it (by later `exit` listeners) is not held.
 * @param {NodeJS.WritableStream} stream
 * @param {number} fd
 * @returns {() => void}
 */
export function gatherWrites(stream, fd, gatherMs = GATHER_MS) {
  const original = stream.write
  const write = original.bind(stream)
  /** @type {Buffer[]} */
  let chunks = []
  let bytes = 0
  /** @type {((err?: Error | null) => void)[]} */
  let callbacks = []
  /** @type {NodeJS.Timeout | undefined} */
  let timer
  const take = () => {
    clearTimeout(timer)
    timer = undefined
    const data = Buffer.concat(chunks, bytes)
    const cbs = callbacks
    chunks = []
    bytes = 0
    callbacks = []
    return { data, cbs }
  }
  const flush = () => {
    if (!bytes) return
    const { data, cbs } = take()
    write(data, (/** @type {Error | null | undefined} */ err) => {
      for (const cb of cbs) cb(err)
    })
  }
  /** @type {(chunk: string | Uint8Array, encoding?: BufferEncoding | ((err?: Error | null) => void), cb?: (err?: Error | null) => void) => boolean} */
  const gathering = (chunk, encoding, cb) => {
    if (typeof encoding === 'function') {
      cb = encoding
      encoding = undefined
    }
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : Buffer.from(chunk) // a copy: the caller may reuse its buffer
    chunks.push(buf)
    bytes += buf.length
    if (cb) callbacks.push(cb)
    if (bytes >= GATHER_MAX_BYTES) flush()
    else if (!timer) {
      timer = setTimeout(flush, gatherMs)
      timer.unref()
    }
    return true
  }
  stream.write = /** @type {typeof stream.write} */ (gathering)
  return () => {
    stream.write = original
    if (!bytes) return
    const { data } = take()
    try {
      writeSync(fd, data)
    } catch {
      // the reader is gone: there is nowhere to write to
    }
  }
}
