/**
 * `stepflare create [dir] [--template] [--yes] [--force] [--no-install] [--stepflare-path]`
 * (and `npm create stepflare`): writes a new project from a template shipped in the package,
 * installs its dependencies and says what to run next. Asks for what is missing only on a
 * terminal; refuses a directory that is not empty unless `--force`.
 * @module
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { basename, join, relative, resolve } from 'node:path'
import { PACKAGE_ROOT } from '../bundle-modules'
import { CliError } from '../errors'
import { color } from '../print'
import { loadProject } from '../project'
import { writeTypes } from '../types/write-types'
import { DEFAULT_COMPATIBILITY_DATE } from '../wrangler-config'
import { npmInstall } from './install'
import { ask } from './prompt'
import { copyTemplate, FIRST_TRY, isTemplate, packageName, TEMPLATES, type TemplateName } from './templates'

export interface CreateOptions {
  dir?: string
  template?: string
  /** Take the defaults instead of asking. */
  yes?: boolean
  /** Write into a directory that is not empty. */
  force?: boolean
  /** Skip `npm install` (default: install). */
  install?: boolean
  /** Depend on this local stepflare checkout instead of the published version ($STEPFLARE_PACKAGE too). */
  stepflarePath?: string
  /** Ask on a terminal (default: when stdin and stdout are terminals). */
  interactive?: boolean
}

export interface CreateResult {
  dir: string
  template: TemplateName
  files: string[]
  installed: boolean
}

export const DEFAULT_DIR = 'my-stepflare-app'

/** Files that do not make a directory "not empty". */
const HARMLESS = new Set(['.git', '.DS_Store', 'Thumbs.db', '.idea', '.vscode'])

function templateName(value: string | undefined): TemplateName | undefined {
  if (value === undefined) return undefined
  if (!isTemplate(value)) {
    throw new CliError(`unknown template "${value}"`, { hint: `Choose one of: ${Object.keys(TEMPLATES).join(', ')}.` })
  }
  return value
}

function stepflareDependency(path: string | undefined): { spec: string; local: boolean } {
  if (path) {
    const abs = resolve(path)
    if (!existsSync(join(abs, 'package.json'))) {
      throw new CliError(`--stepflare-path ${path} has no package.json`, { hint: 'Point it at a stepflare checkout (the folder with its package.json).' })
    }
    return { spec: `file:${abs}`, local: true }
  }
  const { version } = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }
  return { spec: version, local: false }
}

export async function create(opts: CreateOptions): Promise<CreateResult> {
  let template = templateName(opts.template)
  let dir = opts.dir
  const interactive = opts.interactive ?? (process.stdin.isTTY === true && process.stdout.isTTY === true)
  if (interactive && !opts.yes && (!dir || !template)) {
    const answers = await ask({ dir, template }, { dir: DEFAULT_DIR, template: 'starter' })
    dir = answers.dir
    template = answers.template
  }
  dir ??= DEFAULT_DIR
  template ??= 'starter'
  const target = resolve(dir)
  if (existsSync(target)) {
    const present = readdirSync(target).filter((f) => !HARMLESS.has(f))
    if (present.length > 0 && !opts.force) {
      throw new CliError(`${dir} is not empty (${present.slice(0, 3).join(', ')}${present.length > 3 ? ', …' : ''})`, {
        hint: 'Choose a new directory, or pass --force to write the template into it (files with the same names are replaced).',
      })
    }
  }
  const dep = stepflareDependency(opts.stepflarePath ?? process.env.STEPFLARE_PACKAGE)
  const files = await copyTemplate(template, target, {
    name: packageName(basename(target)),
    stepflare: dep.spec,
    compatibilityDate: DEFAULT_COMPATIBILITY_DATE,
  })
  console.log(`${color.green('Created')} ${template} project in ${dir} (${files.length} files)`)
  const install = opts.install !== false
  if (install) {
    await npmInstall(target, { localPackage: dep.local })
    await writeInitialTypes(target)
  }
  printNext(target, template, install)
  return { dir: target, template, files, installed: install }
}

/** Types for the editor from the start; `stepflare dev` and the tests keep them current. */
async function writeInitialTypes(root: string): Promise<void> {
  try {
    await writeTypes(await loadProject(root))
  } catch (err) {
    console.log(color.yellow(`Could not write .stepflare/types.d.ts yet (${(err as Error).message}); \`npm run types\` will.`))
  }
}

function printNext(target: string, template: TemplateName, installed: boolean): void {
  const rel = relative(process.cwd(), target)
  const steps = [...(rel ? [`cd ${rel.includes(' ') ? JSON.stringify(rel) : rel}`] : []), ...(installed ? [] : ['npm install']), 'npm run dev']
  console.log(`\nNext:\n${steps.map((s) => `  ${color.cyan(s)}`).join('\n')}`)
  console.log(`Then, in another terminal:\n  ${color.cyan(FIRST_TRY[template])}`)
  console.log(`and open the workbench — flows, traces, logs, state — at ${color.bold('http://localhost:8787/__stepflare/')}`)
  console.log(`${color.cyan('npm test')} runs the example tests.`)
}
