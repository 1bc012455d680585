/**
 * The production container for Python steps: a Dockerfile (from python-bridge/Dockerfile.template,
 * FROM python:3.12-slim) built with the project root as context, and the wrangler `containers`
 * entry that points at it. Paths in the entry are relative to the generated wrangler config,
 * which wrangler resolves them against.
 * @module
 */
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join, posix } from 'node:path'
import { CliError } from '../errors'
import { BRIDGE_DIR, RUNNER_PACKAGE_DIR } from './paths'

export const INSTANCE_TYPES = ['lite', 'basic', 'standard-1', 'standard-2', 'standard-3', 'standard-4'] as const
export type InstanceType = (typeof INSTANCE_TYPES)[number]

export interface ContainerOptions {
  className?: string
  instanceType?: InstanceType
  maxInstances?: number
  pythonImage?: string
  port?: number
  /** The folder of the generated wrangler config, relative to the root. */
  outDir?: string
}

export interface WranglerContainerEntry {
  class_name: string
  image: string
  image_build_context: string
  instance_type: InstanceType
  max_instances: number
}

export interface ContainerFiles {
  /** Text files to write, paths relative to the project root. */
  files: { path: string; text: string }[]
  /** The runner package, to copy to `runnerTarget` (relative to the root). */
  runnerSource: string
  runnerTarget: string
  containers: WranglerContainerEntry
  /** The Durable Object binding and migration the container class needs. */
  durableObject: { name: string; class_name: string }
  port: number
}

const IGNORE = ['**/node_modules', '**/__pycache__', '**/*.pyc', '**/.git', '**/.wrangler', '.dev.vars*', '**/.env*', '**/*.test.ts', ''].join('\n')

/** steps/ and src/, plus top-level Python modules and packages that steps may import. */
export function pythonSources(root: string): string[] {
  const out = ['steps', 'src'].filter((d) => existsSync(join(root, d)))
  for (const e of readdirSync(root, { withFileTypes: true })) {
    if (e.isFile() && e.name.endsWith('.py')) out.push(e.name)
    else if (e.isDirectory() && !out.includes(e.name) && existsSync(join(root, e.name, '__init__.py'))) out.push(e.name)
  }
  return out
}

export function containerFiles(root: string, options: ContainerOptions = {}): ContainerFiles {
  const {
    className = 'StepflarePython',
    instanceType = 'basic',
    maxInstances = 2,
    pythonImage = 'python:3.12-slim',
    port = 8080,
    outDir = '.stepflare',
  } = options
  if (!INSTANCE_TYPES.includes(instanceType))
    throw new CliError(`python container instance_type: expected one of ${INSTANCE_TYPES.join(', ')}, found ${JSON.stringify(instanceType)}`)
  if (!Number.isInteger(maxInstances) || maxInstances < 1)
    throw new CliError(`python container max_instances: expected a positive integer, found ${maxInstances}`)
  const dir = posix.join(outDir, 'python')
  const runnerTarget = posix.join(dir, 'stepflare_runner')
  // A requirements.txt with only comments installs nothing, so it needs no pip in the base image.
  const wanted = existsSync(join(root, 'requirements.txt'))
    ? readFileSync(join(root, 'requirements.txt'), 'utf8')
        .split('\n')
        .some((l) => l.trim() !== '' && !l.trim().startsWith('#'))
    : false
  const requirements = wanted
    ? 'COPY requirements.txt /app/requirements.txt\nRUN python3 -m pip install --no-cache-dir -r /app/requirements.txt'
    : '# no packages in requirements.txt'
  const copies = pythonSources(root).map((s) => `COPY ${s} /app/${s}`)
  if (copies.length === 0) throw new CliError(`${root}: no steps/ or src/ folder to put in the Python container`)
  const dockerfile = readFileSync(join(BRIDGE_DIR, 'Dockerfile.template'), 'utf8')
    .replaceAll('{{PYTHON_IMAGE}}', pythonImage)
    .replaceAll('{{REQUIREMENTS}}', requirements)
    .replaceAll('{{RUNNER_DIR}}', runnerTarget)
    .replaceAll('{{SOURCES}}', copies.join('\n'))
    .replaceAll('{{PORT}}', String(port))
  const up = outDir
    .split('/')
    .filter(Boolean)
    .map(() => '..')
  return {
    files: [
      { path: posix.join(dir, 'Dockerfile'), text: dockerfile },
      // BuildKit reads <Dockerfile>.dockerignore beside the Dockerfile when the context is elsewhere.
      { path: posix.join(dir, 'Dockerfile.dockerignore'), text: IGNORE },
    ],
    runnerSource: RUNNER_PACKAGE_DIR,
    runnerTarget,
    containers: {
      class_name: className,
      image: './python/Dockerfile',
      image_build_context: up.length ? up.join('/') : '.',
      instance_type: instanceType,
      max_instances: maxInstances,
    },
    durableObject: { name: 'STEPFLARE_PYTHON', class_name: className },
    port,
  }
}

/** Writes the files and copies the runner package (without bytecode caches). */
export async function writeContainerFiles(root: string, out: ContainerFiles): Promise<void> {
  for (const f of out.files) {
    await mkdir(dirname(join(root, f.path)), { recursive: true })
    await writeFile(join(root, f.path), f.text)
  }
  cpSync(out.runnerSource, join(root, out.runnerTarget), { recursive: true, filter: (src) => !src.includes('__pycache__') })
}
