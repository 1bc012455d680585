/**
 * Source-maps error stacks from the dev bundle. workerd reports frames in wrangler's bundle
 * (`.stepflare/.wrangler/tmp/dev-…/entry.js:4195:20`), which says nothing to the user; this maps
 * each such frame through the bundle's source map to the original file — the user's own file for
 * a step (not its mirror under `.stepflare/src`), relative to the project root.
 * @module
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, sep } from 'node:path'
import { SourceMapConsumer } from 'source-map-js'

const FRAME = /(?:file:\/\/)?[^\s"'()]*?[\\/]\.wrangler[\\/]tmp[\\/]dev-[^\\/\s"'()]+[\\/]entry\.js:(\d+):(\d+)/g

export class StackMapper {
  private cached: { path: string; mtimeMs: number; consumer: SourceMapConsumer } | undefined

  constructor(private readonly root: string) {}

  /** The newest dev bundle's map: wrangler writes a new one on every rebuild. */
  private consumer(): SourceMapConsumer | undefined {
    const tmp = join(this.root, '.stepflare', '.wrangler', 'tmp')
    if (!existsSync(tmp)) return undefined
    let newest: { path: string; mtimeMs: number } | undefined
    for (const dir of readdirSync(tmp)) {
      const path = join(tmp, dir, 'entry.js.map')
      if (!dir.startsWith('dev-') || !existsSync(path)) continue
      const { mtimeMs } = statSync(path)
      if (!newest || mtimeMs > newest.mtimeMs) newest = { path, mtimeMs }
    }
    if (!newest) return undefined
    if (this.cached?.path !== newest.path || this.cached.mtimeMs !== newest.mtimeMs) {
      const raw = JSON.parse(readFileSync(newest.path, 'utf8')) as { sourceRoot?: string }
      raw.sourceRoot ||= dirname(newest.path) // sources are relative to the map when no root is given
      this.cached = { ...newest, consumer: new SourceMapConsumer(raw as never) }
    }
    return this.cached.consumer
  }

  private display(source: string): string {
    const mirror = join(this.root, '.stepflare', 'src') + sep
    const original = source.startsWith(mirror) ? join(this.root, source.slice(mirror.length)) : source
    return relative(this.root, original).split(sep).join('/')
  }

  /** `text` with every bundle frame replaced by its original `file:line:column`; the rest untouched. */
  map(text: string): string {
    if (!text.includes('entry.js:')) return text
    let consumer: SourceMapConsumer | undefined
    try {
      consumer = this.consumer()
    } catch {
      return text // a map being rewritten mid-read: leave this one unmapped
    }
    if (!consumer) return text
    const found = consumer
    return text.replace(FRAME, (frame, line: string, column: string) => {
      const pos = found.originalPositionFor({ line: Number(line), column: Number(column) - 1 })
      return pos.source && pos.line !== null ? `${this.display(pos.source)}:${pos.line}:${(pos.column ?? 0) + 1}` : frame
    })
  }
}
