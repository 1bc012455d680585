/**
 * Registers the inspection commands: `routes`, `flows`, `openapi`, `doctor`.
 * @module
 */
import { type Command, InvalidArgumentError } from 'commander'
import { doctorCommand } from './doctor'
import { flowsCommand } from './flows'
import { openapiCommand } from './openapi'
import { routesCommand } from './routes'

function port(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('expected a port number between 1 and 65535')
  return n
}

export function registerInspect(p: Command): void {
  p.command('routes')
    .description("list the API steps' HTTP routes")
    .option('--root <dir>', 'project root', '.')
    .option('--json', 'print JSON')
    .action((o) => routesCommand({ root: o.root, json: o.json }))
  p.command('flows')
    .description('show each flow as a graph of steps and topics')
    .option('--root <dir>', 'project root', '.')
    .option('--mermaid', 'print Mermaid flowcharts')
    .option('--json', 'print JSON')
    .action((o) => flowsCommand({ root: o.root, mermaid: o.mermaid, json: o.json }))
  p.command('openapi')
    .description("write an OpenAPI 3.1 document from the API steps' schemas (JSON on stdout, or --out)")
    .option('--root <dir>', 'project root', '.')
    .option('-o, --out <file>', 'write the document to a file')
    .option('--title <title>', 'info.title (default: the Worker name)')
    .option('--api-version <version>', 'info.version', '1.0.0')
    .option('--server <url>', 'a server URL to list')
    .action((o) => openapiCommand({ root: o.root, out: o.out, title: o.title, apiVersion: o.apiVersion, server: o.server }))
  p.command('doctor')
    .description('check Node, wrangler, the project config and the dev port')
    .option('--root <dir>', 'project root', '.')
    .option('-p, --port <port>', 'dev port to check (default: $PORT or 8787)', port)
    .option('--json', 'print JSON')
    .action((o) => doctorCommand({ root: o.root, port: o.port ?? (process.env.PORT ? port(process.env.PORT) : 8787), json: o.json }))
}
