/**
 * `stepflare/client` and `stepflare/react` as a user gets them: through the package's exports map,
 * compiled (dist/, built by `prepare`), imported from plain Node 20 and type-checked by a strict
 * tsconfig without `skipLibCheck`.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { REPO, tempDir } from './dev-server'

let app: string

beforeAll(() => {
  // The sources may have changed since `npm install` built dist/.
  execFileSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', join(REPO, 'tsconfig.client.json')])
  app = tempDir('sf-client-')
  mkdirSync(join(app, 'node_modules/@types'), { recursive: true })
  symlinkSync(REPO, join(app, 'node_modules/stepflare'))
  for (const dep of ['react', 'ws', '@types/react', '@types/ws', '@types/node']) symlinkSync(join(REPO, 'node_modules', dep), join(app, 'node_modules', dep))
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }))
}, 60_000)

describe('the published client', () => {
  it('imports from plain Node 20 through the exports map', () => {
    writeFileSync(
      join(app, 'main.mjs'),
      `import { Stream, StreamGroupSubscription } from 'stepflare/client'
import { StreamProvider, useStreamGroup } from 'stepflare/react'
import WebSocket from 'ws'
const stream = new Stream('ws://127.0.0.1:9', { WebSocket })
console.log(typeof Stream, typeof StreamGroupSubscription, typeof StreamProvider, typeof useStreamGroup, typeof stream.subscribeGroup)
stream.close()
`,
    )
    const r = spawnSync(process.execPath, ['main.mjs'], { cwd: app, encoding: 'utf8' })
    expect(r.stderr).toBe('')
    expect(r.stdout.trim()).toBe('function function function function function')
  })

  it('type-checks under a strict tsconfig without skipLibCheck', () => {
    writeFileSync(
      join(app, 'consumer.tsx'),
      `import { Stream, type StreamOptions } from 'stepflare/client'
import { StreamProvider, useStreamGroup, useStreamItem } from 'stepflare/react'

type Todo = { id: string; title: string }
const options: StreamOptions = { reconnectDelayMs: 250 }
export const stream = new Stream('ws://localhost:8787', options)
export const sub = stream.subscribeGroup<Todo>('todo', 'inbox')
sub.addChangeListener((items) => items.map((t) => t.title))

export function List() {
  const { data } = useStreamGroup<Todo>({ streamName: 'todo', groupId: 'inbox' })
  const { data: one } = useStreamItem<Todo>({ streamName: 'todo', groupId: 'inbox', id: 'a' })
  return <StreamProvider address="ws://localhost:8787">{data.length}{one?.title}</StreamProvider>
}
`,
    )
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          jsx: 'react-jsx',
          strict: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          noImplicitOverride: true,
          noPropertyAccessFromIndexSignature: true,
          noUnusedLocals: true,
          skipLibCheck: false,
          noEmit: true,
          lib: ['ES2022', 'DOM'],
          types: [],
        },
        files: ['consumer.tsx'],
      }),
    )
    const r = spawnSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: app, encoding: 'utf8' })
    expect(r.stdout).toBe('')
    expect(r.status).toBe(0)
  })
})
