#!/usr/bin/env node
// The `create-stepflare` package, which `npm create stepflare` runs: it hands its arguments to the
// scaffolder inside stepflare, so the templates always match the stepflare it installs.
// Publish it with the same version as stepflare.
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'

const root = dirname(createRequire(import.meta.url).resolve('stepflare/package.json'))
await import(pathToFileURL(join(root, 'cli', 'create', 'bin.mjs')).href)
