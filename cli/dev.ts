/**
 * `stepflare dev`: validate, generate, run `wrangler dev` on the generated config, fire cron
 * steps on schedule, re-dispatch events left pending by an earlier run, and regenerate when a
 * step file is added, changed or removed (the last good version keeps running on errors).
 * @module
 */
import { spawn } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { resolve } from 'node:path'
import type { ConfigProblem } from '../sdk/config/validate'
import { CronRunner } from './cron-runner'
import { type DevSecrets, writeDevSecrets } from './dev-secrets'
import { startDevTools } from './dev-tools-server'
import { generate } from './generate'
import { pipeLines, waitForWorker } from './local-server'
import { checkPortFree } from './port-check'
import { prepare } from './prepare'
import { color, describeProject, printProblems } from './print'
import { hasErrors, loadProject } from './project'
import { type PythonRunner, startRunner } from './python/runner-process'
import { checkLocalSecrets, syncSecretFiles } from './secrets'
import { StackMapper } from './stack-map'
import { type ProjectWatcher, watchProject } from './watch-project'
import { GATHER_OUTPUT, spawnWrangler } from './wrangler-process'

export interface DevOptions {
  root: string
  port: number
  persistTo?: string
  /** Print log records as JSON lines (the default when stdout is not a terminal). */
  json?: boolean
  /** Open the workbench in the default browser once ready. */
  open?: boolean
  /** Serve the Worker's DevTools inspector on this port (default: a free one, not printed). */
  inspectorPort?: number
}

/** Best effort: the platform's opener; a missing one is not an error (the link is printed). */
function openBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open'
  spawn(cmd, [url], { stdio: 'ignore', detached: true })
    .on('error', () => {})
    .unref()
}

/** Re-sends the deliveries an earlier run or isolate left unfinished; returns how many. */
async function recover(url: string): Promise<{ redispatched: number }> {
  const res = await fetch(`${url}/__stepflare/recover`, { method: 'POST', headers: { 'x-stepflare-request': 'cli' } })
  return (await res.json()) as { redispatched: number }
}

export async function dev(opts: DevOptions): Promise<void> {
  const root = resolve(opts.root)
  const started = Date.now()
  await checkPortFree(opts.port)
  const { project, generated } = await prepare(root)
  if (project.steps.length === 0) {
    console.error(
      color.yellow(
        `No step files in ${root}: steps are *.step.ts, *_step.ts or *_step.py files under steps/ or src/. The server starts anyway and picks them up as you add them.`,
      ),
    )
  }
  checkLocalSecrets(root, project.config, generated.wrangler.vars)
  const url = `http://127.0.0.1:${opts.port}`
  const persistTo = resolve(root, opts.persistTo ?? '.wrangler/state')
  const pretty = !opts.json && process.stdout.isTTY === true
  // Stacks point into wrangler's bundle: map them for the terminal and (through the Worker) the workbench.
  const stacks = new StackMapper(root)
  // What the open workbench shows about the last change (through GET /__stepflare/dev/status).
  let devStatus: { broken: boolean; problems: ConfigProblem[] } = { broken: false, problems: [] }
  const tools = await startDevTools(stacks, () => devStatus)
  // Python steps run in a local runner; the Worker reaches it over HTTP and it calls back, signed.
  // The bridge secret reaches the runner in its environment and wrangler in a private file.
  let runner: PythonRunner | undefined
  const pythonVars: string[] = []
  let secrets: DevSecrets | undefined
  if (project.steps.some((s) => s.python)) {
    const secret = randomBytes(24).toString('hex')
    runner = await startRunner(root, {
      secret,
      onExit: () => void runner?.restart().catch((err) => console.error(color.red(`python runner: ${(err as Error).message}`))),
    })
    secrets = writeDevSecrets(generated.outDir, { STEPFLARE_PYTHON_SECRET: secret })
    pythonVars.push(
      '--var',
      `STEPFLARE_PYTHON_URL:${runner.url}`,
      '--var',
      `STEPFLARE_PYTHON_CALLBACK_URL:http://127.0.0.1:${opts.port}/__stepflare/python/callback`,
    )
    pythonVars.push(...secrets.args)
  }
  const child = spawnWrangler(
    root,
    [
      'dev',
      '--config',
      generated.configPath,
      '--port',
      String(opts.port),
      '--ip',
      '127.0.0.1',
      '--inspector-port',
      String(opts.inspectorPort ?? 0),
      '--persist-to',
      persistTo,
      '--show-interactive-dev-session=false',
      '--var',
      'STEPFLARE_DEV:1',
      '--var',
      `STEPFLARE_BOOT_ID:${randomUUID()}`,
      '--var',
      `STEPFLARE_DEV_TOOLS_URL:${tools.url}`,
      ...pythonVars,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], nodeArgs: GATHER_OUTPUT },
  )
  // A reload ends the handlers that were running and the local queue's messages: send their
  // deliveries again, as after a restart (the trace objects tell the new isolate from the old).
  let ready = false
  const afterReload = (line: string) => {
    if (!ready || !line.includes('Local server updated and ready')) return
    recover(url)
      .then((r) => r.redispatched && console.log(color.yellow(`Re-dispatched ${r.redispatched} event(s) interrupted by the reload`)))
      .catch(() => {})
  }
  pipeLines(child.stdout, process.stdout, { pretty, stacks, onLine: afterReload })
  pipeLines(child.stderr, process.stderr, { pretty, stacks, onLine: afterReload })

  let watcher: ProjectWatcher | undefined
  const cron = new CronRunner(url)
  /** Stops everything `dev` started, wrangler (and its workerd) last. */
  const stopAll = async () => {
    cron.stop()
    tools.server.close()
    secrets?.dispose()
    await watcher?.close()
    await runner?.stop()
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise<void>((r) => child.once('exit', () => r()))
    child.kill('SIGTERM')
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000)
    await exited
    clearTimeout(kill)
  }
  const shutdown = (code: number) => {
    cron.stop()
    tools.server.close()
    secrets?.dispose()
    void runner?.stop()
    void watcher?.close()
    if (child.exitCode === null) child.kill('SIGTERM')
    setTimeout(() => process.exit(code), 2000).unref()
    child.once('exit', () => process.exit(code))
  }
  process.once('SIGINT', () => shutdown(0))
  process.once('SIGTERM', () => shutdown(0))
  let starting = true
  child.once('exit', (code) => {
    if (starting) return // the start's own error says what happened
    if (code !== 0 && code !== null) console.error(color.red(`wrangler dev exited with code ${code}`))
    secrets?.dispose()
    cron.stop()
    process.exit(code ?? 1)
  })

  // Watch from the start: a file saved while wrangler is still starting is not missed.
  let latest = project.steps.map((s) => s.model)
  let timer: NodeJS.Timeout | undefined
  let pythonChanged = false
  /** The last reload found errors: the next good one says it is fixed. */
  let broken = false
  let reloading = Promise.resolve()
  const reload = () => {
    reloading = reloading
      .then(async () => {
        const next = await loadProject(root)
        if (hasErrors(next.problems)) {
          printProblems(next.problems)
          console.error(color.yellow('The last good version keeps running.'))
          broken = true
          devStatus = { broken: true, problems: next.problems.filter((p) => p.severity === 'error').slice(0, 20) }
          return
        }
        devStatus = { broken: false, problems: [] }
        if (broken) {
          broken = false
          console.log(color.green(`Fixed: the project loads again (${next.steps.length} steps); reloading.`))
        }
        const gen = await generate(next)
        syncSecretFiles(root, gen.outDir)
        latest = next.steps.map((s) => s.model)
        if (runner && pythonChanged) {
          pythonChanged = false
          const health = await runner.restart()
          console.log(color.gray(`Python runner restarted: ${health.steps.length} step(s)`))
        }
        if (ready) cron.update(latest)
        if (gen.changed.length) console.log(color.gray(`Reloaded: ${next.steps.length} steps`))
      })
      .catch((err) => console.error(color.red(`reload failed: ${(err as Error).message}`)))
  }
  const onChange = (path: string) => {
    clearTimeout(timer)
    if (path.endsWith('.py') || path.endsWith('requirements.txt')) pythonChanged = true
    timer = setTimeout(reload, 20)
  }
  watcher = watchProject(root, onChange)

  let recovered: { redispatched: number }
  try {
    await waitForWorker(`${url}/__stepflare/health`, child, Number(process.env.STEPFLARE_DEV_START_TIMEOUT_MS) || 60_000)
    recovered = await recover(url)
  } catch (err) {
    // A failed start leaves nothing behind: no wrangler holding the port, no runner, no watchers.
    await stopAll()
    throw err
  }
  starting = false
  ready = true
  cron.update(latest)
  console.log(describeProject(project.steps.map((s) => s.model)))
  if (recovered.redispatched) console.log(color.yellow(`Re-dispatched ${recovered.redispatched} event(s) left pending by the last run`))
  console.log(`${color.green('Ready')} on ${color.bold(`http://localhost:${opts.port}`)} in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  const workbench = `http://localhost:${opts.port}/__stepflare/`
  console.log(`Workbench  ${color.bold(workbench)}`)
  if (opts.open) openBrowser(workbench)
}
