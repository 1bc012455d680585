/**
 * The project's code as `wrangler dev` sees it: a copy under `.stepflare/src/`, refreshed only
 * after the project loaded and validated. Wrangler watches what the generated entry imports; if
 * that were the user's own files, a half-typed step would make wrangler rebuild, fail, and stop
 * serving. With the copy, a broken edit is reported by stepflare (file and line) and the last good
 * version keeps running. Only code and data files are copied, and only when they changed.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import { dirname, join, relative, sep } from 'node:path'

export const MIRROR_DIR = 'src'
const CODE = /\.(ts|mts|cts|tsx|js|mjs|cjs|jsx|json|sql|txt|html|css)$/
const SKIP = new Set(['node_modules', '.stepflare', '.wrangler', '.git', 'dist', '__pycache__', 'test-results'])

async function codeFiles(dir: string, out: string[]): Promise<void> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.isDirectory()) {
      if (!SKIP.has(e.name) && !e.name.startsWith('.')) await codeFiles(join(dir, e.name), out)
    } else if (e.isFile() && CODE.test(e.name)) out.push(join(dir, e.name))
  }
}

/** Brings `.stepflare/src/` in line with the project; returns the files it wrote or removed. */
export async function mirrorSources(root: string, outDir: string): Promise<string[]> {
  const target = join(outDir, MIRROR_DIR)
  const files: string[] = []
  await codeFiles(root, files)
  const changed: string[] = []
  const keep = new Set<string>()
  for (const abs of files) {
    const rel = relative(root, abs)
    keep.add(rel)
    const dst = join(target, rel)
    const content = readFileSync(abs)
    if (existsSync(dst) && readFileSync(dst).equals(content)) continue
    await mkdir(dirname(dst), { recursive: true })
    await writeFile(dst, content)
    changed.push(dst)
  }
  if (existsSync(target)) {
    const present: string[] = []
    await codeFiles(target, present)
    for (const abs of present) {
      if (!keep.has(relative(target, abs))) {
        await rm(abs)
        changed.push(abs)
      }
    }
  }
  return changed
}

/** Where the entry imports a project file from. */
export function mirrored(file: string): string {
  return `./${MIRROR_DIR}/${file.split(sep).join('/')}`
}
