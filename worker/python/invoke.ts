/**
 * Calls the runner: `POST /invoke` through a transport — a service binding or Container stub in
 * production, {@link httpTransport} to `http://127.0.0.1:PORT` under `stepflare dev`.
 * @module
 */
import { PythonBridgeConfigError, PythonProtocolError, PythonRunnerUnavailableError } from './errors'
import { type InvokeRequest, type InvokeResponse, SIGNATURE_HEADER } from './protocol'
import { signInvoke } from './token'

export interface PythonTransport {
  fetch(request: Request): Promise<Response>
}

/** The origin of requests to the runner; a service binding or a Container ignores it. */
export const RUNNER_ORIGIN = 'http://stepflare-python.internal'
/** How long past the handler's timeout to wait for the runner's own timeout answer. */
export const DEFAULT_GRACE_MS = 5_000

/** A transport that sends the request to `baseUrl` (e.g. `http://127.0.0.1:8830`) with fetch. */
export function httpTransport(baseUrl: string, fetchImpl: typeof fetch = fetch): PythonTransport {
  const base = baseUrl.replace(/\/+$/, '')
  return {
    fetch(request) {
      const url = new URL(request.url)
      return fetchImpl(new Request(base + url.pathname + url.search, request))
    },
  }
}

function describeBody(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text
}

function checkResponse(step: string, value: unknown): InvokeResponse {
  const v = value as Partial<InvokeResponse> & { emits?: unknown; error?: unknown }
  const bad = (what: string) => new PythonProtocolError(`the runner's answer for step ${step}: ${what}`)
  if (typeof v !== 'object' || v === null || typeof v.ok !== 'boolean') throw bad('expected {ok: boolean, …}')
  if (v.ok && !Array.isArray(v.emits)) throw bad('expected emits to be an array')
  if (!v.ok && (typeof v.error !== 'object' || v.error === null || typeof (v.error as { message?: unknown }).message !== 'string'))
    throw bad('expected error {name, message, stack}')
  return { ...v, logs: Array.isArray(v.logs) ? v.logs : [], stateOps: Array.isArray(v.stateOps) ? v.stateOps : [] } as InvokeResponse
}

class RunnerTimeout extends Error {}

/** Resolves with `work`, or rejects with RunnerTimeout after `ms` (aborting `controller`). */
async function within<T>(ms: number, controller: AbortController, work: () => Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new RunnerTimeout(`no answer within ${ms} ms`)
      controller.abort(err)
      reject(err)
    }, ms)
  })
  try {
    return await Promise.race([work(), expired])
  } finally {
    clearTimeout(timer)
  }
}

export interface InvokeOptions {
  graceMs?: number
  /** The bridge secret: the request is signed with it, and the runner refuses it unsigned. */
  secret?: string
}

export async function invokePython(transport: PythonTransport, request: InvokeRequest, options: InvokeOptions = {}): Promise<InvokeResponse> {
  const waitMs = request.timeoutMs + (options.graceMs ?? DEFAULT_GRACE_MS)
  const controller = new AbortController()
  const body = JSON.stringify(request)
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (options.secret) headers[SIGNATURE_HEADER] = await signInvoke(options.secret, body)
  const req = new Request(`${RUNNER_ORIGIN}/invoke`, { method: 'POST', headers, body, signal: controller.signal })
  let res: Response
  let text: string
  try {
    // The race does not rely on the transport honouring the signal (a service binding may not).
    ;[res, text] = await within(waitMs, controller, async () => {
      const r = await transport.fetch(req)
      return [r, await r.text()] as const
    })
  } catch (err) {
    const why = err instanceof RunnerTimeout ? `did not answer within ${waitMs} ms` : `could not be reached: ${(err as Error)?.message ?? String(err)}`
    throw new PythonRunnerUnavailableError(`the Python runner ${why} (step ${request.step}, ${request.file})`, { cause: err })
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (err) {
    throw new PythonRunnerUnavailableError(`the Python runner answered HTTP ${res.status} with a body that is not JSON: ${describeBody(text)}`, { cause: err })
  }
  if (res.status === 400) {
    const message = (parsed as { error?: { message?: string } })?.error?.message ?? describeBody(text)
    throw new PythonProtocolError(`the Python runner refused the invocation of ${request.step} as malformed: ${message}`)
  }
  if (res.status === 401 || res.status === 403 || res.status === 409) {
    const error = (parsed as { error?: { code?: string; message?: string } })?.error
    throw new PythonBridgeConfigError(
      `the Python runner refused the invocation of ${request.step} (${error?.code ?? res.status}: ${error?.message ?? describeBody(text)}); the Worker and the runner must share STEPFLARE_PYTHON_SECRET`,
    )
  }
  if (res.status !== 200) throw new PythonRunnerUnavailableError(`the Python runner answered HTTP ${res.status}: ${describeBody(text)}`)
  return checkResponse(request.step, parsed)
}
