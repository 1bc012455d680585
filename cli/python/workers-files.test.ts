import { describe, expect, it } from 'vitest'
import type { WranglerConfig } from '../wrangler-config'
import { projectRuntime, withRuntime } from './runtime'
import { bindPythonWorker, pythonEntrySource, pythonWorkerConfig } from './workers-files'

const main: WranglerConfig = {
  name: 'shop',
  main: 'entry.ts',
  compatibility_date: '2026-04-20',
  services: [{ binding: 'AUTH', service: 'auth' }],
  env: { staging: { vars: { A: '1' } }, prod: { name: 'shop-live' } },
}

describe('the Workers Python target', () => {
  it('names the Python Worker after the main one and binds each back to the other, per environment', () => {
    const worker = pythonWorkerConfig(main)
    expect(worker).toMatchObject({
      name: 'shop-python',
      main: 'src/entry.py',
      compatibility_date: '2026-04-20',
      compatibility_flags: ['python_workers'],
      services: [{ binding: 'STEPFLARE', service: 'shop' }],
    })
    expect(worker.env).toEqual({
      staging: { name: 'shop-staging-python', services: [{ binding: 'STEPFLARE', service: 'shop-staging' }] },
      prod: { name: 'shop-live-python', services: [{ binding: 'STEPFLARE', service: 'shop-live' }] },
    })
    const bound = bindPythonWorker(main)
    expect(bound.services).toEqual([
      { binding: 'AUTH', service: 'auth' },
      { binding: 'STEPFLARE_PYTHON_WORKER', service: 'shop-python' },
    ])
    expect(bound.env?.staging).toMatchObject({ vars: { A: '1' }, services: [{ binding: 'STEPFLARE_PYTHON_WORKER', service: 'shop-staging-python' }] })
    expect(bound.env?.prod).toMatchObject({ services: [{ binding: 'STEPFLARE_PYTHON_WORKER', service: 'shop-live-python' }] })
  })

  it('generates an entry that loads exactly the listed step files and exposes invoke', () => {
    const src = pythonEntrySource(['steps/a_step.py', 'steps/b/c_step.py'])
    expect(src).toContain('WorkersRunner(["steps/a_step.py","steps/b/c_step.py"])')
    expect(src).toMatch(/class Default\(WorkerEntrypoint\):\n {4}async def invoke\(self, body\):/)
  })
})

describe('python runtime selection', () => {
  const entry = { file: 'steps/a_step.py', module: 'steps.a_step', config: { type: 'event', name: 'A', runtime: 'workers' } }

  it('takes runtime out of the config (the Motia schema has no such key) and keeps it on the entry', () => {
    const { entry: out, problems } = withRuntime(entry, 'container')
    expect(problems).toEqual([])
    expect(out.runtime).toBe('workers')
    expect(out.config).toEqual({ type: 'event', name: 'A' })
  })

  it('falls back to the project default, then to containers', () => {
    const plain = { ...entry, config: { type: 'event', name: 'A' } }
    expect(withRuntime(plain, 'workers').entry.runtime).toBe('workers')
    expect(projectRuntime(undefined).runtime).toBe('container')
  })

  it('names the file and field of a bad value', () => {
    expect(withRuntime({ ...entry, config: { ...entry.config, runtime: 'lambda' } }, 'container').problems).toEqual([
      { severity: 'error', file: 'steps/a_step.py', field: 'config.runtime', message: 'expected "container" or "workers", found "lambda"' },
    ])
    expect(projectRuntime('pyodide', 'stepflare.config.ts').problems[0]).toMatchObject({ file: 'stepflare.config.ts', field: 'python.runtime' })
  })
})
