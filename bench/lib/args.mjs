// Command-line flags for the bench scripts: `--kebab-case value` onto the camelCase keys of a
// defaults object, typed by the default (number, comma-separated numbers, boolean switch, string).
// `--help` prints the usage built from the defaults; an unknown or malformed flag exits with 2.
import { isAbsolute, relative } from 'node:path'
import { parseArgs } from 'node:util'

const kebab = (key) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
const shown = (v) => (Array.isArray(v) ? v.join(',') : typeof v === 'string' && isAbsolute(v) ? relative(process.cwd(), v) || '.' : v)

export function usage(script, defaults) {
  const parts = Object.entries(defaults).map(([k, v]) => (typeof v === 'boolean' ? `[--${kebab(k)}]` : `[--${kebab(k)} ${shown(v)}]`))
  return `node bench/${script} ${parts.join(' ')}`
}

export function flags(script, defaults, argv = process.argv.slice(2)) {
  const fail = (message) => {
    console.error(`${message}\nusage: ${usage(script, defaults)}`)
    process.exit(2)
  }
  const options = { help: { type: 'boolean', short: 'h' } }
  for (const [k, v] of Object.entries(defaults)) options[kebab(k)] = { type: typeof v === 'boolean' ? 'boolean' : 'string' }
  let values
  try {
    ;({ values } = parseArgs({ args: argv, options, strict: true }))
  } catch (err) {
    fail(err.message)
  }
  if (values.help) {
    console.log(`usage: ${usage(script, defaults)}`)
    process.exit(0)
  }
  const out = { ...defaults }
  for (const [k, def] of Object.entries(defaults)) {
    const raw = values[kebab(k)]
    if (raw === undefined) continue
    if (typeof def === 'number') {
      out[k] = Number(raw)
      if (raw === '' || !Number.isFinite(out[k]) || out[k] < 0) fail(`--${kebab(k)}: expected a number, found ${JSON.stringify(raw)}`)
    } else if (Array.isArray(def)) {
      out[k] = raw.split(',').map(Number)
      if (out[k].some((x) => !Number.isFinite(x))) fail(`--${kebab(k)}: expected comma-separated numbers, found ${JSON.stringify(raw)}`)
    } else out[k] = raw
  }
  return out
}
