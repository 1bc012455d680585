#!/usr/bin/env node
// The CLI is TypeScript; tsx loads it (and the project's step files) without a build step.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('./main.ts')
await main(process.argv)
