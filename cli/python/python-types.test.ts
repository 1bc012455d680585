import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { pyName, pyType } from './python-types'

describe('Python type hints', () => {
  it('names topics and turns JSON Schema into TypedDicts that Python accepts', () => {
    expect(pyName('order.received')).toBe('OrderReceived')
    const defs: string[] = []
    const type = pyType(
      {
        type: 'object',
        properties: { id: { type: 'string' }, amount: { type: 'number' }, tags: { type: 'array', items: { type: 'string' } }, kind: { enum: ['a', 'b'] } },
        required: ['id'],
      },
      'OrderReceived',
      defs,
    )
    expect(type).toBe('OrderReceived')
    const src = `from typing import Any, Dict, List, Literal, Union, NotRequired, TypedDict\n${defs.join('\n')}\nx: OrderReceived = {"id": "1", "amount": 2.0}\nprint(sorted(OrderReceived.__required_keys__))\n`
    const dir = mkdtempSync(join(tmpdir(), 'sf-pytypes-'))
    writeFileSync(join(dir, 't.py'), src)
    expect(execFileSync('python3', [join(dir, 't.py')], { encoding: 'utf8' }).trim()).toBe("['id']")
  })
})
