/**
 * Preloaded (`node --import`) into the `wrangler dev` that `stepflare dev` runs with its output on
 * pipes: wrangler's stdout and stderr writes are gathered (see gather-writes.mjs). Plain JavaScript,
 * as it runs in wrangler's process without stepflare's TypeScript loader.
 * @module
 */
import { gatherWrites } from './gather-writes.mjs'

const stops = [
  [process.stdout, 1],
  [process.stderr, 2],
]
  .filter(([stream]) => !stream.isTTY)
  .map(([stream, fd]) => gatherWrites(stream, fd))

process.on('exit', () => {
  for (const stop of stops) stop()
})
