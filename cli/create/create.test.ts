import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { PACKAGE_ROOT } from '../bundle-modules'
import { CliError } from '../errors'
import { create } from './create'
import { fillPlaceholders, knownVersions, packageName, TEMPLATES, TEMPLATES_DIR } from './templates'

let dir = ''
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sf-create-'))
  vi.spyOn(console, 'log').mockImplementation(() => {})
})
afterEach(() => {
  vi.restoreAllMocks()
  rmSync(dir, { recursive: true, force: true })
})

const quiet = { install: false, interactive: false } as const

describe('stepflare create', () => {
  it.each(Object.keys(TEMPLATES))('writes the %s template with its tests, vitest config and filled placeholders', async (template) => {
    const target = join(dir, `app-${template}`)
    const r = await create({ dir: target, template, ...quiet })
    expect(r.files).toEqual(expect.arrayContaining(['.gitignore', 'package.json', 'tsconfig.json', 'vitest.config.ts', 'wrangler.jsonc', 'README.md']))
    expect(r.files.some((f) => f.startsWith('test/') && f.endsWith('.test.ts'))).toBe(true)
    expect(r.files.some((f) => f.startsWith('steps/'))).toBe(true)
    const pkg = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8'))
    const ours = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8'))
    expect(pkg.name).toBe(`app-${template}`)
    expect(pkg.dependencies.stepflare).toBe(ours.version)
    expect(pkg.devDependencies.wrangler).toBe(ours.devDependencies.wrangler)
    expect(pkg.scripts.test).toBe('vitest run')
    for (const f of r.files) expect(readFileSync(join(target, f), 'utf8'), f).not.toMatch(/\{\{\w+/)
  })

  it('depends on a local checkout with --stepflare-path or $STEPFLARE_PACKAGE', async () => {
    await create({ dir: join(dir, 'a'), stepflarePath: PACKAGE_ROOT, ...quiet })
    expect(JSON.parse(readFileSync(join(dir, 'a', 'package.json'), 'utf8')).dependencies.stepflare).toBe(`file:${PACKAGE_ROOT}`)
    vi.stubEnv('STEPFLARE_PACKAGE', PACKAGE_ROOT)
    await create({ dir: join(dir, 'b'), ...quiet })
    vi.unstubAllEnvs()
    expect(JSON.parse(readFileSync(join(dir, 'b', 'package.json'), 'utf8')).dependencies.stepflare).toBe(`file:${PACKAGE_ROOT}`)
    await expect(create({ dir: join(dir, 'c'), stepflarePath: dir, ...quiet })).rejects.toThrow(/has no package\.json/)
  })

  it('refuses a directory that is not empty, unless --force', async () => {
    const target = join(dir, 'busy')
    mkdirSync(target)
    writeFileSync(join(target, 'notes.txt'), 'mine')
    const err = await create({ dir: target, ...quiet }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(CliError)
    expect((err as CliError).message).toMatch(/busy is not empty \(notes\.txt\)/)
    expect((err as CliError).hint).toMatch(/--force/)
    expect(readdirSync(target)).toEqual(['notes.txt'])
    await create({ dir: target, force: true, ...quiet })
    expect(existsSync(join(target, 'steps'))).toBe(true)
    expect(readFileSync(join(target, 'notes.txt'), 'utf8')).toBe('mine')
  })

  it('accepts a directory that holds only .git', async () => {
    const target = join(dir, 'repo')
    mkdirSync(join(target, '.git'), { recursive: true })
    await create({ dir: target, ...quiet })
    expect(existsSync(join(target, 'package.json'))).toBe(true)
  })

  it('names the templates when given an unknown one', async () => {
    await expect(create({ dir: join(dir, 'x'), template: 'nope', ...quiet })).rejects.toMatchObject({
      message: 'unknown template "nope"',
      hint: expect.stringContaining('starter, streams, python, motia-migrate'),
    })
  })

  it('takes the defaults without a terminal: starter', async () => {
    const r = await create({ dir: join(dir, 'd'), ...quiet })
    expect(r.template).toBe('starter')
  })
})

describe('templates', () => {
  it('ship every template folder the CLI offers', () => {
    for (const t of ['_shared', ...Object.keys(TEMPLATES)]) expect(existsSync(join(TEMPLATES_DIR, t)), t).toBe(true)
  })

  it('fill placeholders and fail loudly on an unknown version', () => {
    const vars = { name: 'n', stepflare: '1.0.0', compatibilityDate: '2026-04-20' }
    expect(fillPlaceholders('{{name}} {{version:zod}} {{other}}', vars, { zod: '4.6.7' })).toBe('n 4.6.7 {{other}}')
    expect(() => fillPlaceholders('{{version:left-pad}}', vars, {})).toThrow(/left-pad/)
    expect(knownVersions().wrangler).toBe('4.86.0')
  })

  it('make package names npm accepts', () => {
    expect(packageName('My App!')).toBe('my-app')
    expect(packageName('..')).toBe('stepflare-app')
  })
})
