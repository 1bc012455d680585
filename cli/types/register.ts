/**
 * Registers `stepflare types` on the CLI program.
 * @module
 */
import type { Command } from 'commander'
import { typesCommand } from './types-command'

export function registerTypes(p: Command): void {
  p.command('types')
    .description('write .stepflare/types.d.ts (typed Handlers, streams) and the bindings Env from wrangler types')
    .option('--root <dir>', 'project root', '.')
    .option('--no-bindings', 'skip `wrangler types` for the bindings')
    .option('--json', 'print the written paths as JSON')
    .action(async (o) => {
      await typesCommand({ root: o.root, bindings: o.bindings, json: o.json })
    })
}
