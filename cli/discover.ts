/**
 * Finds step and stream files under `steps/` and `src/`, recursively: `*.step.ts|js`,
 * `*_step.ts|js`, `*_step.py`, `*.stream.ts|js`, `*_stream.ts|js|py`. Never `*.step.tsx|jsx`
 * (Motia's UI overrides), `node_modules`, `dist` or `.stepflare`.
 * @module
 */
import { readdir } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'

export const ROOTS = ['steps', 'src'] as const
const SKIP_DIRS = new Set(['node_modules', 'dist', '.stepflare', '.wrangler', '.git', '__pycache__'])

export type DiscoveredKind = 'step' | 'python-step' | 'stream' | 'python-stream' | 'deprecated-python-step'

export interface DiscoveredFile {
  /** Path relative to the project root, with forward slashes. */
  file: string
  abs: string
  kind: DiscoveredKind
}

export function classify(name: string): DiscoveredKind | undefined {
  if (/\.step\.(tsx|jsx)$/.test(name)) return undefined
  if (/(\.step|_step)\.(ts|js|mts|mjs)$/.test(name)) return 'step'
  if (/_step\.py$/.test(name)) return 'python-step'
  if (/\.step\.py$/.test(name)) return 'deprecated-python-step'
  if (/(\.stream|_stream)\.(ts|js|mts|mjs)$/.test(name)) return 'stream'
  if (/_stream\.py$/.test(name)) return 'python-stream'
  return undefined
}

async function walk(dir: string, out: string[]): Promise<void> {
  let entries: import('node:fs').Dirent[]
  try {
    entries = await readdir(dir, { withFileTypes: true })
  } catch {
    return
  }
  for (const e of entries) {
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) await walk(join(dir, e.name), out)
    } else if (e.isFile()) out.push(join(dir, e.name))
  }
}

export async function discover(root: string): Promise<DiscoveredFile[]> {
  const files: string[] = []
  for (const r of ROOTS) await walk(join(root, r), files)
  const out: DiscoveredFile[] = []
  for (const abs of files.sort()) {
    const name = abs.slice(abs.lastIndexOf(sep) + 1)
    const kind = classify(name)
    if (kind) out.push({ file: relative(root, abs).split(sep).join('/'), abs, kind })
  }
  return out
}
