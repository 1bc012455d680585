// What the comparison benchmarks share around their measurements: a watchdog for the whole run,
// the machine they ran on, and the JSON result file.
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { dirname } from 'node:path'
import { stopAll } from './servers.mjs'

/** Stops every server and exits with 3 once the run has taken longer than `seconds`. */
export function abortAfter(seconds) {
  setTimeout(async () => {
    console.error(`\naborting: the run exceeded --max-seconds ${seconds}`)
    await stopAll()
    process.exit(3)
  }, seconds * 1000).unref()
}

export function machineInfo(busyPctBeforeStart) {
  return {
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    platform: `${os.platform()} ${os.release()}`,
    busyPctBeforeStart,
  }
}

export function writeResult(path, result) {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`)
  console.log(`\nwrote ${path}`)
}
