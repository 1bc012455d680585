/**
 * `stepflare doctor [--port] [--json]`: checks what `stepflare dev` needs — Node and wrangler
 * versions that work together, the project's configuration, the dev port, Python for Python
 * steps, and a tsconfig that sees the generated types — and says what to do about each problem.
 * Exits 1 when a check fails.
 * @module
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join, resolve } from 'node:path'
import { PACKAGE_ROOT } from '../bundle-modules'
import { color, formatProblem } from '../print'
import { CONFIG_FILES, loadProject } from '../project'
import { USER_CONFIG_FILES } from '../wrangler-config'
import { wranglerBin } from '../wrangler-process'

export type CheckStatus = 'ok' | 'warn' | 'error'

export interface Check {
  name: string
  status: CheckStatus
  detail: string
  hint?: string
}

const MIN_NODE = [20, 3]
/** The last wrangler that runs on Node 20; 4.87 and later need Node 22. */
const LAST_NODE20_WRANGLER = [4, 86, 0]

const parse = (v: string) =>
  v
    .replace(/^v/, '')
    .split('.')
    .map((n) => Number.parseInt(n, 10) || 0)
function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0)
  return 0
}

export function portFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((res) => {
    const server = createServer()
    server.once('error', () => res(false))
    server.listen(port, host, () => server.close(() => res(true)))
  })
}

function nodeCheck(): Check {
  const v = process.versions.node
  return compare(parse(v), MIN_NODE) >= 0
    ? { name: 'node', status: 'ok', detail: v }
    : { name: 'node', status: 'error', detail: `Node ${v} is too old`, hint: 'Install Node 20.3 or newer.' }
}

function wranglerCheck(root: string): Check {
  let version: string
  try {
    version = (JSON.parse(readFileSync(join(wranglerBin(root), '..', '..', 'package.json'), 'utf8')) as { version: string }).version
  } catch {
    return { name: 'wrangler', status: 'error', detail: 'wrangler is not installed', hint: 'Run `npm install --save-dev wrangler@4.86.0`.' }
  }
  const node22 = compare(parse(process.versions.node), [22]) >= 0
  if (!node22 && compare(parse(version), LAST_NODE20_WRANGLER) > 0) {
    return {
      name: 'wrangler',
      status: 'error',
      detail: `wrangler ${version} needs Node 22, and this is Node ${process.versions.node}`,
      hint: 'Pin wrangler 4.86.0 (`npm install --save-dev wrangler@4.86.0`) or move to Node 22.',
    }
  }
  return { name: 'wrangler', status: 'ok', detail: version }
}

function tsconfigCheck(root: string): Check | undefined {
  const file = join(root, 'tsconfig.json')
  if (!existsSync(file)) return undefined
  const text = readFileSync(file, 'utf8')
  return /\.stepflare\/types\.d\.ts|\.stepflare\/\*\*|"\.stepflare"/.test(text)
    ? { name: 'types', status: 'ok', detail: 'tsconfig.json includes .stepflare/types.d.ts' }
    : {
        name: 'types',
        status: 'warn',
        detail: 'tsconfig.json does not include .stepflare/types.d.ts, so Handlers[...] is not typed',
        hint: 'Add ".stepflare/types.d.ts" to "include" in tsconfig.json and run `stepflare types`.',
      }
}

export async function runChecks(rootDir: string, port: number): Promise<Check[]> {
  const root = resolve(rootDir)
  const stepflare = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version
  const checks: Check[] = [{ name: 'stepflare', status: 'ok', detail: stepflare }, nodeCheck(), wranglerCheck(root)]
  const config = CONFIG_FILES.find((f) => existsSync(join(root, f)))
  const wrangler = USER_CONFIG_FILES.find((f) => existsSync(join(root, f)))
  checks.push({
    name: 'files',
    status: 'ok',
    detail: [config ?? 'no project config (defaults apply)', wrangler ?? 'no wrangler config (defaults apply)'].join(', '),
  })
  const project = await loadProject(root)
  const errors = project.problems.filter((p) => p.severity === 'error')
  const warnings = project.problems.filter((p) => p.severity === 'warning')
  const counted = `${project.steps.length} step(s), ${project.streams.length} stream(s)`
  if (project.steps.length === 0 && errors.length === 0)
    checks.push({ name: 'config', status: 'warn', detail: `no steps found under ${root}`, hint: 'Put *.step.ts files under steps/ or src/, or pass --root.' })
  else
    checks.push({
      name: 'config',
      status: errors.length ? 'error' : warnings.length ? 'warn' : 'ok',
      detail:
        errors.length || warnings.length
          ? `${counted}; ${errors.length} error(s), ${warnings.length} warning(s):\n${project.problems.map(formatProblem).join('\n')}`
          : counted,
      ...(errors.length ? { hint: 'Fix the errors listed; `stepflare dev` refuses to start until then.' } : {}),
    })
  if (project.steps.some((s) => s.model.language === 'python')) {
    const py = spawnSync('python3', ['--version'], { encoding: 'utf8' })
    checks.push(
      py.status === 0
        ? { name: 'python', status: 'ok', detail: (py.stdout || py.stderr).trim() }
        : { name: 'python', status: 'error', detail: 'python3 is not on the PATH, and the project has Python steps', hint: 'Install Python 3.10 or newer.' },
    )
  }
  checks.push(
    (await portFree(port))
      ? { name: 'port', status: 'ok', detail: `port ${port} is free` }
      : {
          name: 'port',
          status: 'warn',
          detail: `port ${port} is in use (a dev server already running?)`,
          hint: `Stop it, or run \`stepflare dev --port ${port + 1}\`.`,
        },
  )
  const types = tsconfigCheck(root)
  if (types) checks.push(types)
  return checks
}

const MARK: Record<CheckStatus, string> = { ok: color.green('✓'), warn: color.yellow('!'), error: color.red('✖') }

export async function doctorCommand(opts: { root: string; port: number; json?: boolean }): Promise<void> {
  const checks = await runChecks(opts.root, opts.port)
  const failed = checks.some((c) => c.status === 'error')
  if (opts.json) console.log(JSON.stringify({ ok: !failed, checks }, null, 2))
  else {
    for (const c of checks) {
      console.log(`${MARK[c.status]} ${c.name.padEnd(9)} ${c.detail.split('\n').join('\n            ')}`)
      if (c.hint) console.log(`            ${color.gray(c.hint)}`)
    }
    console.log(failed ? color.red('Some checks failed.') : color.green('Ready for `stepflare dev`.'))
  }
  if (failed) process.exitCode = 1
}
