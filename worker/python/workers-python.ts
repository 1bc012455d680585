/**
 * The Workers Python target: a generated Python Worker (Pyodide) bound as the service
 * `STEPFLARE_PYTHON_WORKER`, called over RPC — `invoke(body)` takes the JSON of `POST /invoke`
 * and returns the JSON answer (python-bridge/stepflare_runner/workers.py). Wrapped as a
 * {@link PythonTransport} so timeouts, checks and errors are the same as for the other runners.
 * @module
 */
import type { PythonTransport } from './invoke'

/** The RPC surface of the generated Python Worker's default entrypoint. */
export interface PythonWorkerRpc {
  invoke(body: string): Promise<string>
}

export function isPythonWorker(value: unknown): value is PythonWorkerRpc {
  return typeof value === 'object' && value !== null && typeof (value as PythonWorkerRpc).invoke === 'function'
}

export function workersPythonTransport(worker: PythonWorkerRpc): PythonTransport {
  return {
    async fetch(request) {
      const answer = await worker.invoke(await request.text())
      return new Response(answer, { headers: { 'content-type': 'application/json' } })
    },
  }
}
