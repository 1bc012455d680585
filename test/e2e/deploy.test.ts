import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CLI, REPO } from './dev-server'

// Run in a network namespace of its own when possible (root, util-linux): then any network call fails.
const isolated = spawnSync('unshare', ['-n', 'true']).status === 0

describe('stepflare deploy --dry-run', () => {
  it('produces the bundle and the full configuration of an environment without any network call', () => {
    const args = [CLI, 'deploy', '--dry-run', '--env', 'staging', '--root', join(REPO, 'examples/demo'), '--json']
    const r = isolated ? spawnSync('unshare', ['-n', process.execPath, ...args], { encoding: 'utf8' }) : spawnSync(process.execPath, args, { encoding: 'utf8' })
    expect(r.status, r.stderr).toBe(0)
    const plan = JSON.parse(r.stdout.trim().split('\n').pop() as string) as {
      name: string
      env: string
      bundle: { path: string; bytes: number }
      configPath: string
      queues: string[]
      crons: string[]
      durableObjects: string[]
    }
    expect(plan).toMatchObject({
      name: 'stepflare-demo-staging',
      env: 'staging',
      queues: ['stepflare-demo-staging-events', 'stepflare-demo-staging-events-dlq'],
      crons: ['* * * * *'],
    })
    expect(plan.durableObjects).toContain('STEPFLARE_TRACE (TraceObject)')
    expect(existsSync(plan.bundle.path) && plan.bundle.bytes > 0).toBe(true)
    const config = JSON.parse(readFileSync(plan.configPath, 'utf8')) as {
      env: { staging: { vars: Record<string, string>; queues: { consumers: { dead_letter_queue?: string }[] } } }
    }
    expect(config.env.staging.vars.STAGE).toBe('staging')
    expect(config.env.staging.queues.consumers[0]?.dead_letter_queue).toBe('stepflare-demo-staging-events-dlq')
  })

  it('names an environment that does not exist', () => {
    const r = spawnSync(process.execPath, [CLI, 'deploy', '--dry-run', '--env', 'nope', '--root', join(REPO, 'examples/demo')], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    })
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('no environment "nope" in your wrangler configuration')
  })
})
