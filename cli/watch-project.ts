/**
 * What `stepflare dev` watches: the step folders (`steps/`, `src/`, recursively, also when they
 * appear later), the project config files and the user's wrangler config. Built on chokidar, which
 * watches each directory rather than each file: an atomic save (the editor writes a temporary file
 * and renames it over the old one — vim, JetBrains' safe write, `sed -i`) replaces the file's
 * inode, after which Node 20's recursive `fs.watch` never reports that file again.
 * @module
 */
import { join } from 'node:path'
import { watch } from 'chokidar'
import { ROOTS } from './discover'
import { CONFIG_FILES } from './project'
import { USER_CONFIG_FILES } from './wrangler-config'

export const IGNORED = /(^|[/\\])(node_modules|\.stepflare|\.wrangler|\.git|__pycache__)([/\\]|$)/

export interface ProjectWatcher {
  /** Resolves once the initial scan is done: changes from then on are reported. */
  ready: Promise<void>
  close(): Promise<void>
}

/** Calls `onChange` with the path of every file added, changed or removed, and every folder added or removed. */
export function watchProject(root: string, onChange: (path: string) => void): ProjectWatcher {
  const paths = [...ROOTS.map((r) => join(root, r)), ...[...CONFIG_FILES, ...USER_CONFIG_FILES, 'requirements.txt'].map((f) => join(root, f))]
  const watcher = watch(paths, { ignoreInitial: true, ignored: (p) => IGNORED.test(p), atomic: true })
  for (const event of ['add', 'change', 'unlink', 'addDir', 'unlinkDir'] as const) watcher.on(event, (path: string) => onChange(path))
  watcher.on('error', (err) => console.error(`file watcher: ${(err as Error).message}`))
  return {
    ready: new Promise((resolve) => watcher.once('ready', () => resolve())),
    close: () => watcher.close(),
  }
}
