import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { PythonNotFoundError } from './paths'
import { readPythonConfigs } from './read-configs'

const FIXTURE = join(__dirname, '..', '..', 'examples', 'mixed-flow')

describe('readPythonConfigs', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'stepflare-pyconf-'))
  afterAll(() => rmSync(tmp, { recursive: true, force: true }))

  it('returns every Python step of the fixture with its config as written', async () => {
    const out = await readPythonConfigs(FIXTURE)
    expect(out.problems).toEqual([])
    expect(out.python).toMatch(/^3\./)
    expect(out.steps.map((s) => [s.file, s.module, s.config.name])).toEqual([
      ['steps/explode_step.py', 'steps.explode_step', 'Explode'],
      ['steps/score_order_step.py', 'steps.score_order_step', 'ScoreOrder'],
    ])
    const score = out.steps[1]!.config
    expect(score).toMatchObject({ type: 'event', subscribes: ['order.received'], emits: ['order.scored'], infrastructure: { handler: { timeout: 10 } } })
    expect(score.input).toMatchObject({ type: 'object', required: ['id', 'amount'] })
  })

  it('reports a step that fails to import with its file, field and traceback', async () => {
    mkdirSync(join(tmp, 'steps'), { recursive: true })
    writeFileSync(join(tmp, 'steps', 'broken_step.py'), 'import definitely_not_installed_xyz\n')
    writeFileSync(
      join(tmp, 'steps', 'fine_step.py'),
      'config = {"type": "event", "name": "Fine", "subscribes": ["a"], "emits": []}\nasync def handler(i, c):\n    pass\n',
    )
    const out = await readPythonConfigs(tmp)
    expect(out.steps.map((s) => s.config.name)).toEqual(['Fine'])
    expect(out.problems).toHaveLength(1)
    expect(out.problems[0]).toMatchObject({ severity: 'error', file: 'steps/broken_step.py', field: 'module' })
    expect(out.problems[0]!.message).toContain("No module named 'definitely_not_installed_xyz'")
    expect(out.problems[0]!.traceback).toContain('broken_step.py", line 1')
  })

  it('says so when Python is missing', async () => {
    await expect(readPythonConfigs(FIXTURE, { python: '/nonexistent/python3' })).rejects.toThrow(PythonNotFoundError)
  })
})
