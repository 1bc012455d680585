/**
 * Installs the created project's dependencies with npm, quietly: one progress line (dots on a
 * terminal), and npm's own output only when it fails.
 * @module
 */
import { spawn } from 'node:child_process'
import { CliError } from '../errors'
import { color } from '../print'

export async function npmInstall(dir: string, options: { localPackage: boolean }): Promise<number> {
  const started = Date.now()
  // A local stepflare is installed as a copy, as the published package would be.
  const args = ['install', '--no-audit', '--no-fund', ...(options.localPackage ? ['--install-links'] : [])]
  process.stdout.write(`Installing dependencies (npm ${args.join(' ')})`)
  const tty = process.stdout.isTTY === true
  const dots = tty ? setInterval(() => process.stdout.write('.'), 2000) : undefined
  const result = await new Promise<{ code: number; output: string }>((resolve) => {
    const child = spawn(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: process.env })
    let output = ''
    child.stdout.on('data', (d) => {
      output += d
    })
    child.stderr.on('data', (d) => {
      output += d
    })
    child.on('error', (err) => resolve({ code: 1, output: `${output}\n${err.message}` }))
    child.on('close', (code) => resolve({ code: code ?? 1, output }))
  })
  if (dots) clearInterval(dots)
  process.stdout.write('\n')
  if (result.code !== 0) {
    process.stderr.write(result.output.split('\n').slice(-30).join('\n'))
    throw new CliError(`npm install failed in ${dir} (exit code ${result.code})`, {
      hint: `The project files are in place: fix the error above, then run \`npm install\` in ${dir}.`,
    })
  }
  const seconds = (Date.now() - started) / 1000
  console.log(`${color.green('Installed')} dependencies in ${seconds.toFixed(1)} s`)
  return seconds
}
