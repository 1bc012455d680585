import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { containerFiles, writeContainerFiles } from './container-files'

const FIXTURE = join(__dirname, '..', '..', 'examples', 'mixed-flow')

describe('containerFiles', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'stepflare-container-'))
  afterAll(() => rmSync(tmp, { recursive: true, force: true }))

  it('installs requirements.txt when it lists packages, FROM the base image asked for', () => {
    const root = mkdtempSync(join(tmpdir(), 'stepflare-reqs-'))
    cpSync(FIXTURE, root, { recursive: true, filter: (src) => !src.includes('.stepflare') })
    writeFileSync(join(root, 'requirements.txt'), '# a comment\nrequests==2.32.3\n')
    const dockerfile = containerFiles(root, { pythonImage: 'my/base:1' }).files.find((f) => f.path === '.stepflare/python/Dockerfile')!.text
    expect(dockerfile).toContain('FROM my/base:1')
    expect(dockerfile).toContain('RUN python3 -m pip install --no-cache-dir -r /app/requirements.txt')
    rmSync(root, { recursive: true, force: true })
  })

  it('builds the Dockerfile and the wrangler containers entry', () => {
    const out = containerFiles(FIXTURE)
    const dockerfile = out.files.find((f) => f.path === '.stepflare/python/Dockerfile')!.text
    expect(dockerfile).toContain('FROM python:3.12-slim')
    // The fixture's requirements.txt lists no packages: nothing to install, no pip needed.
    expect(dockerfile).toContain('# no packages in requirements.txt')
    expect(dockerfile).toContain('COPY .stepflare/python/stepflare_runner /opt/stepflare/stepflare_runner')
    expect(dockerfile).toContain('COPY steps /app/steps\nCOPY src /app/src')
    expect(dockerfile).toContain('CMD ["python3", "-m", "stepflare_runner", "serve", "/app", "--host", "0.0.0.0", "--port", "8080"]')
    expect(dockerfile).not.toContain('{{')
    expect(out.containers).toEqual({
      class_name: 'StepflarePython',
      image: './python/Dockerfile',
      image_build_context: '..',
      instance_type: 'basic',
      max_instances: 2,
    })
    expect(out.durableObject).toEqual({ name: 'STEPFLARE_PYTHON', class_name: 'StepflarePython' })
  })

  it('takes options, and names the field of a bad one', () => {
    const out = containerFiles(FIXTURE, { instanceType: 'standard-1', maxInstances: 5, className: 'Py', port: 9000 })
    expect(out.containers).toMatchObject({ class_name: 'Py', instance_type: 'standard-1', max_instances: 5 })
    expect(out.files[0]!.text).toContain('EXPOSE 9000')
    expect(() => containerFiles(FIXTURE, { instanceType: 'huge' as never })).toThrow('python container instance_type: expected one of lite, basic')
    expect(() => containerFiles(FIXTURE, { maxInstances: 0 })).toThrow('max_instances: expected a positive integer, found 0')
  })

  it('writes the build context files and the runner package', async () => {
    cpSync(FIXTURE, tmp, { recursive: true })
    const out = containerFiles(tmp)
    await writeContainerFiles(tmp, out)
    expect(readFileSync(join(tmp, '.stepflare/python/Dockerfile'), 'utf8')).toBe(out.files[0]!.text)
    expect(existsSync(join(tmp, '.stepflare/python/stepflare_runner/server.py'))).toBe(true)
    expect(existsSync(join(tmp, '.stepflare/python/stepflare_runner/__pycache__'))).toBe(false)
  })
})
