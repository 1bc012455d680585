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

  constructor(ctx: ConstructorParameters<typeof Container>[0], env: Record<string, unknown>) {
    super(ctx, env)
    // The runner accepts only invocations signed with the bridge secret: it gets it in its
    // environment at start, never on its command line or in the image.
    const secret = env.STEPFLARE_PYTHON_SECRET
    if (typeof secret === 'string') this.envVars = { ...this.envVars, STEPFLARE_PYTHON_SECRET: secret }
  }
}

export function containerTransport(ns: DurableObjectNamespace<StepflarePython>, pool: number): PythonTransport {
  return { fetch: async (request: Request) => (await getRandom(ns, pool)).fetch(request) }
}
