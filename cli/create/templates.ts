/**
 * The project templates shipped in the package (`templates/`): `_shared/` first, then the chosen
 * template over it. Text files get their placeholders filled: `{{name}}`, `{{stepflare}}` (the
 * dependency on stepflare), `{{compatibilityDate}}` and `{{version:<package>}}` (the exact
 * version stepflare itself is tested with, from its package.json).
 * @module
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { PACKAGE_ROOT } from '../bundle-modules'

export const TEMPLATES_DIR = join(PACKAGE_ROOT, 'templates')

export const TEMPLATES = {
  starter: 'an API step → an event step → state, and a cron step',
  streams: 'a live page: a stream that browsers watch over a WebSocket',
  python: 'TypeScript and Python steps in one flow',
  'motia-migrate': 'a Motia 0.17 project running unchanged, with a guide to moving yours',
} as const

export type TemplateName = keyof typeof TEMPLATES

/** The first thing to try once `npm run dev` runs, printed by `create`. */
export const FIRST_TRY: Record<TemplateName, string> = {
  starter: `curl -X POST localhost:8787/todos -H 'content-type: application/json' -d '{"title":"Ship it ASAP"}'`,
  streams: 'open http://localhost:8787/live in two windows and vote',
  python: `curl -X POST localhost:8787/texts -H 'content-type: application/json' -d '{"text":"one two three"}'`,
  'motia-migrate': `curl -X POST localhost:8787/tickets -H 'content-type: application/json' -d '{"title":"Printer on fire","customer":"ada"}'`,
}

export const isTemplate = (name: string): name is TemplateName => Object.hasOwn(TEMPLATES, name)

export interface TemplateVars {
  name: string
  stepflare: string
  compatibilityDate: string
}

/** Exact versions of the packages stepflare depends on or is tested with. */
export function knownVersions(): Record<string, string> {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string>>
  return { ...pkg.devDependencies, ...pkg.dependencies }
}

export function fillPlaceholders(text: string, vars: TemplateVars, versions: Record<string, string>): string {
  return text.replace(/\{\{([a-zA-Z]+)(?::([^}]+))?\}\}/g, (whole, key: string, arg: string | undefined) => {
    if (key === 'version' && arg) {
      const v = versions[arg]
      if (!v) throw new Error(`template asks for the version of ${arg}, which stepflare's package.json does not list`)
      return v
    }
    return key in vars ? vars[key as keyof TemplateVars] : whole
  })
}

function walk(dir: string, base = ''): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const rel = base ? `${base}/${entry}` : entry
    return statSync(join(dir, entry)).isDirectory() ? walk(join(dir, entry), rel) : [rel]
  })
}

/** npm drops `.gitignore` from published packages, so templates ship `_gitignore`. */
const targetName = (rel: string) => rel.replace(/(^|\/)_gitignore$/, '$1.gitignore')

const TEXT = /\.(ts|tsx|js|mjs|json|jsonc|md|py|txt|toml)$|(^|\/)_gitignore$/

/** Writes the template into `dest`; returns the files written, relative to `dest`. */
export async function copyTemplate(template: TemplateName, dest: string, vars: TemplateVars): Promise<string[]> {
  const versions = knownVersions()
  const files = new Map<string, string>()
  for (const layer of ['_shared', template]) {
    const dir = join(TEMPLATES_DIR, layer)
    if (!existsSync(dir)) throw new Error(`template folder ${dir} is missing from the stepflare package`)
    for (const rel of walk(dir)) files.set(targetName(rel), join(dir, rel))
  }
  for (const [rel, src] of files) {
    const out = join(dest, rel)
    await mkdir(dirname(out), { recursive: true })
    const raw = readFileSync(src)
    await writeFile(out, TEXT.test(rel) || rel === '.gitignore' ? fillPlaceholders(raw.toString('utf8'), vars, versions) : raw)
  }
  return [...files.keys()].sort()
}

/** A valid npm package name from a directory name. */
export function packageName(dirName: string): string {
  return (
    dirName
      .toLowerCase()
      .replace(/[^a-z0-9._~-]+/g, '-')
      .replace(/^[-._]+|[-.]+$/g, '') || 'stepflare-app'
  )
}
