/**
 * The production transport for Python steps: a Cloudflare Container (a container-enabled Durable
 * Object) running the image `stepflare build` generates, picked at random from a small pool.
 * @module
 */
import { Container, getRandom } from '@cloudflare/containers'
import type { PythonTransport } from './invoke'

export const CONTAINER_PORT = 8080

export class StepflarePython extends Container {
  override defaultPort = CONTAINER_PORT
  override sleepAfter = '10m'
}

export function containerTransport(ns: DurableObjectNamespace<StepflarePython>, pool: number): PythonTransport {
  return { fetch: async (request: Request) => (await getRandom(ns, pool)).fetch(request) }
}
