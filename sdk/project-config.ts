/**
 * `stepflare.config.ts` (and Motia's `motia.config.ts`): project-wide settings.
 * Motia-only keys (`plugins`, `redis`, `adapters`, `app`) are accepted and ignored.
 * @module
 */
import type { ApiRequest } from './handler-types'

export interface StreamAuthRequest {
  headers: Record<string, string>
  url: string
}

export interface ProjectConfig {
  api?: {
    /** CORS for API steps: `true` (permissive, the default), `false`, or explicit options. */
    cors?: boolean | { origin?: string | string[]; allowHeaders?: string[]; allowMethods?: string[]; credentials?: boolean; maxAge?: number }
    /** Largest accepted request body in bytes (default 1 MiB); larger bodies get 413. */
    bodyLimit?: number
  }
  /** `stepflare dev` only. */
  dev?: {
    /**
     * Host names the dev server answers besides `localhost`, `*.localhost` and IP addresses (a
     * guard against DNS rebinding, as Vite's `server.allowedHosts`): `'.example.com'` also allows
     * its subdomains; `true` allows any host.
     */
    allowedHosts?: string[] | true
  }
  queue?: {
    /** Defaults applied to every event step (a step's own settings win). */
    maxRetries?: number
    backoffDelayMs?: number
    /** Largest backoff delay in milliseconds (default 300 000). */
    maxBackoffMs?: number
    /**
     * Consumer batch settings written into the wrangler configuration: up to `maxBatchSize`
     * messages (default 100, at most 100) or `maxBatchTimeout` seconds (default 0: no wait). Lower the
     * size for steps that use much CPU per message: a batch's messages run in one invocation.
     */
    maxBatchSize?: number
    maxBatchTimeout?: number
  }
  python?: {
    /**
     * Where Python steps run in production: `container` (default; CPython, any package) or
     * `workers` (a Python Worker on Pyodide, for light steps). A step's own `"runtime"` wins.
     */
    runtime?: 'container' | 'workers'
    /** Container instance type for Python steps in production (default `basic`). */
    instanceType?: 'lite' | 'basic' | 'standard-1' | 'standard-2' | 'standard-3' | 'standard-4'
    /** Container pool size (default 2). */
    maxInstances?: number
    /** A pushed image to deploy instead of building `.stepflare/python/Dockerfile` with Docker. */
    image?: string
    /**
     * The image the Python container is built FROM (default `python:3.12-slim`); it needs `python3`,
     * and pip when requirements.txt lists packages. `STEPFLARE_PYTHON_BASE_IMAGE` overrides it.
     */
    baseImage?: string
  }
  streams?: {
    /** How many hub objects hold client sockets (default 4); each change costs one call per hub with subscribers. */
    hubs?: number
  }
  secrets?: {
    /** Names that must be set: checked when `dev` starts (.dev.vars/.env) and by `deploy`. */
    required?: string[]
  }
  traces?: {
    /**
     * How many Durable Objects host the traces (default 8 deployed, 1 under `stepflare dev`).
     * Set it once: traces already recorded stay in the shards of the old count.
     */
    shards?: number
    /** How many single-run traces the index keeps (default 1000). */
    retainCount?: number
    /** How long the index keeps a trace, in hours (default 24). */
    retainHours?: number
  }
  streamAuth?: {
    contextSchema?: unknown
    authenticate(req: StreamAuthRequest): unknown | Promise<unknown>
  }
  /** Ignored by stepflare: Motia workbench plugins. */
  plugins?: unknown[]
  /** Ignored by stepflare: Motia's Redis settings. */
  redis?: unknown
  /** Ignored by stepflare: Motia's adapters. */
  adapters?: unknown
  /** Ignored by stepflare: Motia's Express hook. */
  app?: (app: unknown) => void
  [key: string]: unknown
}

export function defineConfig<T extends ProjectConfig>(config: T): T {
  return config
}

/** Motia 0.x name of {@link defineConfig}. */
export const config = defineConfig

export type { ApiRequest }
