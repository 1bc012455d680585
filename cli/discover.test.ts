import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { classify, discover } from './discover'

describe('classify', () => {
  it('recognises steps, Python steps and streams, and ignores UI overrides', () => {
    expect(classify('a.step.ts')).toBe('step')
    expect(classify('a_step.js')).toBe('step')
    expect(classify('score_step.py')).toBe('python-step')
    expect(classify('score.step.py')).toBe('deprecated-python-step')
    expect(classify('todo.stream.ts')).toBe('stream')
    expect(classify('todo_stream.py')).toBe('python-stream')
    expect(classify('a.step.tsx')).toBeUndefined()
    expect(classify('a.step.jsx')).toBeUndefined()
    expect(classify('helpers.ts')).toBeUndefined()
  })
})

describe('discover', () => {
  it('scans steps/ and src/ recursively and skips node_modules, dist and .stepflare', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sf-discover-'))
    const files = [
      'steps/a.step.ts',
      'steps/deep/er/b_step.ts',
      'src/c.step.js',
      'src/x/score_step.py',
      'src/node_modules/d.step.ts',
      'steps/dist/e.step.ts',
      'steps/.stepflare/f.step.ts',
      'other/g.step.ts',
      'steps/ui.step.tsx',
    ]
    for (const f of files) {
      await mkdir(join(root, f, '..'), { recursive: true })
      await writeFile(join(root, f), '')
    }
    const found = (await discover(root)).map((d) => d.file)
    expect(found.sort()).toEqual(['src/c.step.js', 'src/x/score_step.py', 'steps/a.step.ts', 'steps/deep/er/b_step.ts'])
  })
})
