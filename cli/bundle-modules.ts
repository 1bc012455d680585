/**
 * Reads step and config modules in Node the way Motia did: each file is bundled with esbuild
 * (TypeScript, the `motia` alias) and imported, so its `config` can be validated and turned into
 * the manifest. Packages stay external and resolve from the project's own node_modules.
 * @module
 */
import { mkdir, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build, type Plugin } from 'esbuild'

const here = dirname(fileURLToPath(import.meta.url))
export const PACKAGE_ROOT = join(here, '..')
export const SDK_ENTRY = join(PACKAGE_ROOT, 'sdk', 'index.ts')
export const MOTIA_PLUGIN_STUB = join(PACKAGE_ROOT, 'sdk', 'motia-plugin-stub.ts')

/** Module names that resolve to stepflare's SDK in a user's step file. */
export const SDK_ALIASES = ['motia', 'stepflare', '@motiadev/core'] as const

export function aliasPlugin(): Plugin {
  return {
    name: 'stepflare-alias',
    setup(b) {
      b.onResolve({ filter: /^(motia|stepflare|@motiadev\/core)$/ }, () => ({ path: SDK_ENTRY }))
      b.onResolve({ filter: /^@motiadev\/(plugin-|workbench|stream-client)/ }, () => ({ path: MOTIA_PLUGIN_STUB }))
      b.onResolve({ filter: /^cloudflare:/ }, (args) => ({ path: args.path, namespace: 'cloudflare-stub' }))
      b.onLoad({ filter: /.*/, namespace: 'cloudflare-stub' }, () => ({
        contents: 'export class DurableObject {}; export class WorkerEntrypoint {}; export const env = {}; export default {}',
        loader: 'js',
      }))
    },
  }
}

export interface ModuleLoadError {
  file: string
  message: string
  line?: number
  column?: number
}

export type LoadedModules = { modules: Map<string, Record<string, unknown>>; errors: ModuleLoadError[] }

/**
 * Bundles and imports `files` (absolute paths, keyed by the given relative names). A file that
 * fails to bundle or to import is reported with its location; the others still load.
 */
export async function loadModules(root: string, files: { file: string; abs: string }[], outDir: string): Promise<LoadedModules> {
  const modules = new Map<string, Record<string, unknown>>()
  const errors: ModuleLoadError[] = []
  if (files.length === 0) return { modules, errors }
  await rm(outDir, { recursive: true, force: true })
  await mkdir(outDir, { recursive: true })
  await Promise.all(
    files.map(async ({ file, abs }, i) => {
      const outfile = join(outDir, `m${i}-${Date.now().toString(36)}.mjs`)
      try {
        await build({
          entryPoints: [abs],
          outfile,
          bundle: true,
          platform: 'node',
          format: 'esm',
          target: 'node20',
          packages: 'external',
          logLevel: 'silent',
          absWorkingDir: root,
          plugins: [aliasPlugin()],
        })
      } catch (err) {
        const first = (err as { errors?: { text: string; location?: { file: string; line: number; column: number } }[] }).errors?.[0]
        errors.push({
          file: first?.location?.file ?? file,
          message: first?.text ?? (err as Error).message,
          ...(first?.location ? { line: first.location.line, column: first.location.column } : {}),
        })
        return
      }
      try {
        modules.set(file, (await import(pathToFileURL(outfile).href)) as Record<string, unknown>)
      } catch (err) {
        errors.push({ file, message: `importing the step failed: ${(err as Error).message}` })
      }
    }),
  )
  return { modules, errors }
}
