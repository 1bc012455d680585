/**
 * Registers `stepflare create` on the CLI program.
 * @module
 */
import type { Command } from 'commander'
import { create } from './create'
import { TEMPLATES } from './templates'

export function registerCreate(p: Command): void {
  p.command('create [dir]')
    .description('create a new project from a template (asks on a terminal; flags for CI)')
    .option('-t, --template <name>', `one of: ${Object.keys(TEMPLATES).join(', ')}`)
    .option('-y, --yes', 'take the defaults without asking')
    .option('--force', 'write into a directory that is not empty')
    .option('--no-install', 'skip npm install')
    .option('--stepflare-path <dir>', 'depend on a local stepflare checkout (default: $STEPFLARE_PACKAGE, else the published version)')
    .action(async (dir: string | undefined, o) => {
      await create({ dir, template: o.template, yes: o.yes, force: o.force, install: o.install, stepflarePath: o.stepflarePath })
    })
}
