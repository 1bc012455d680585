/**
 * The deploy-time wrangler configuration of a project with Python steps: the dev configuration
 * plus the Python container (a container-enabled Durable Object `StepflarePython`, its binding,
 * its migration) and the container's build context under `.stepflare/python/`. `stepflare dev`
 * never uses it: there the local runner serves the Python steps.
 * @module
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Project } from '../project'
import type { WranglerConfig } from '../wrangler-config'
import { containerFiles, type InstanceType, writeContainerFiles } from './container-files'

export interface PythonDeployOptions {
  /** A registry image to deploy instead of building `.stepflare/python/Dockerfile` (needs no Docker). */
  image?: string
}

export interface PythonDeployConfig {
  configPath: string
  dockerfile: string
  image: string
}

function addContainer(block: WranglerConfig, binding: { name: string; class_name: string }, pool: number): WranglerConfig {
  return {
    ...block,
    durable_objects: { ...(block.durable_objects ?? {}), bindings: [...(block.durable_objects?.bindings ?? []), binding] },
    vars: { ...(block.vars ?? {}), STEPFLARE_PYTHON_POOL: String(pool) },
  }
}

export async function writePythonDeployConfig(project: Project, dev: WranglerConfig, options: PythonDeployOptions = {}): Promise<PythonDeployConfig> {
  const py = project.config.python ?? {}
  const baseImage = process.env.STEPFLARE_PYTHON_BASE_IMAGE ?? py.baseImage
  const files = containerFiles(project.root, {
    outDir: '.stepflare',
    ...(baseImage ? { pythonImage: baseImage } : {}),
    ...(py.instanceType ? { instanceType: py.instanceType as InstanceType } : {}),
    ...(py.maxInstances ? { maxInstances: py.maxInstances } : {}),
  })
  await writeContainerFiles(project.root, files)
  const image = options.image ?? py.image ?? files.containers.image
  const pool = files.containers.max_instances
  const config: WranglerConfig = {
    ...addContainer(dev, files.durableObject, pool),
    containers: [{ ...files.containers, image }],
    migrations: [...(dev.migrations ?? []), { tag: 'stepflare-python-v1', new_sqlite_classes: [files.durableObject.class_name] }],
  }
  if (dev.env) {
    config.env = Object.fromEntries(
      Object.entries(dev.env as Record<string, WranglerConfig>).map(([name, block]) => [
        name,
        { ...addContainer(block, files.durableObject, pool), containers: config.containers },
      ]),
    )
  }
  const configPath = join(project.root, '.stepflare', 'wrangler.deploy.json')
  await writeFile(configPath, `${JSON.stringify(config, null, 2)}\n`)
  return { configPath, dockerfile: join(project.root, '.stepflare', 'python', 'Dockerfile'), image }
}
