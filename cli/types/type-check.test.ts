/**
 * Type tests: projects are type-checked with the TypeScript compiler against their generated
 * `.stepflare/types.d.ts`. Good code must pass (the demo, the Motia 0.17 fixture with no edits, a
 * purpose-built project) and each mistake must fail with the error it deserves.
 * Slow-ish: about 10 s (four compiler runs).
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { files, mistakes } from '../../test/types/shop-project'
import { PACKAGE_ROOT } from '../bundle-modules'
import { formatProblem } from '../print'
import { hasErrors, loadProject } from '../project'
import { writeTypes } from './write-types'

const SDK = join(PACKAGE_ROOT, 'sdk', 'index.ts')

const options: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2023.d.ts'],
  types: [],
  strict: true,
  noUncheckedIndexedAccess: true,
  skipLibCheck: true,
  noEmit: true,
  paths: { stepflare: [SDK], motia: [SDK] },
}

/** Every diagnostic, by file (relative to `root`). */
function check(root: string, rootNames: string[], opts: ts.CompilerOptions = options): Map<string, string[]> {
  const program = ts.createProgram(rootNames, opts)
  const out = new Map<string, string[]>()
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const file = d.file ? relative(root, d.file.fileName) : '(global)'
    out.set(file, [...(out.get(file) ?? []), ts.flattenDiagnosticMessageText(d.messageText, '\n')])
  }
  return out
}

async function generateTypes(root: string): Promise<void> {
  const project = await loadProject(root)
  if (hasErrors(project.problems)) throw new Error(project.problems.map(formatProblem).join('\n'))
  await writeTypes(project)
}

const sources = (root: string, names: string[]) => names.map((n) => join(root, n))

describe('generated types', () => {
  it('type-check the demo', async () => {
    const root = join(PACKAGE_ROOT, 'examples', 'demo')
    await generateTypes(root)
    const names = ['create-order', 'charge-payment', 'fulfil-order', 'get-order', 'live-page', 'orders-report', 'reset', 'stats'].map(
      (s) => `steps/${s}.step.ts`,
    )
    expect(Object.fromEntries(check(root, sources(root, [...names, 'steps/orders.stream.ts', '.stepflare/types.d.ts'])))).toEqual({})
  })

  it('type-check the Motia 0.17 fixture with no edits, through its tsconfig.json', async () => {
    const root = join(PACKAGE_ROOT, 'test', 'fixtures', 'motia-app')
    await generateTypes(root)
    const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })
    if (!config) throw new Error('motia-app/tsconfig.json could not be read')
    expect(config.fileNames.some((f) => f.endsWith('.stepflare/types.d.ts'))).toBe(true)
    expect(config.fileNames.filter((f) => f.endsWith('.step.ts') || f.endsWith('_step.ts'))).toHaveLength(6)
    expect(Object.fromEntries(check(root, config.fileNames, config.options))).toEqual({})
  })

  describe('on a project with every kind of step', () => {
    let root = ''
    let diagnostics = new Map<string, string[]>()

    beforeAll(async () => {
      root = mkdtempSync(join(tmpdir(), 'sf-types-'))
      // The steps import zod at load time, so the project needs a node_modules.
      symlinkSync(join(PACKAGE_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir')
      for (const [file, text] of Object.entries(files)) {
        mkdirSync(dirname(join(root, file)), { recursive: true })
        writeFileSync(join(root, file), text)
      }
      await generateTypes(root)
      mkdirSync(join(root, 'mistakes'))
      mistakes.forEach((m, i) => {
        writeFileSync(join(root, 'mistakes', `m${i}.ts`), m.code)
      })
      const all = [...Object.keys(files), '.stepflare/types.d.ts', ...mistakes.map((_, i) => `mistakes/m${i}.ts`)]
      diagnostics = check(root, sources(root, all))
    }, 60_000)

    afterAll(() => rmSync(root, { recursive: true, force: true }))

    it('accepts the correct code: typed bodies, path params, merged emit data, FIFO groups, streams, callable cron emit', () => {
      const good = [...diagnostics].filter(([file]) => !file.startsWith('mistakes/'))
      expect(Object.fromEntries(good)).toEqual({})
    })

    it.each(mistakes.map((m, i) => [m.name, i] as const))('rejects code that %s', (_name, i) => {
      const found = diagnostics.get(`mistakes/m${i}.ts`) ?? []
      const m = mistakes[i]!
      expect(found.length, `no error for: ${m.code}`).toBeGreaterThan(0)
      expect(found.join('\n')).toMatch(m.error)
    })
  })
})
