#!/usr/bin/env node
// `npm create stepflare [dir] [-- --template streams]`: the same as `stepflare create`.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../main.ts')
await main([process.argv[0], process.argv[1], 'create', ...process.argv.slice(2)])
