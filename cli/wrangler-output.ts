/**
 * What `stepflare dev` passes on from wrangler's output. Offline noise (the `Request.cf` fetch and
 * its stack, the "crons are not triggered locally" notice, which stepflare handles itself), the
 * binding table and wrangler's own "Ready" line are dropped; everything else goes through.
 * @module
 */
const DROP = [
  /Ready on|Your Worker has access|Env Variable|STEPFLARE_|Binding\s+Resource|^-+$/,
  /^\s*[│╭╰]/,
  /Unable to fetch the `Request\.cf` object/,
  /getaddrinfo ENOTFOUND workers\.cloudflare\.com/,
  /Scheduled Workers are not automatically triggered|To manually trigger a scheduled event|curl "http:\/\/127\.0\.0\.1:\d+\/cdn-cgi\/handler\/scheduled"|cron-triggers\/#test-cron-triggers-locally/,
  /update available/,
  /Using secrets defined in .*stepflare-dev-/,
]

/**
 * A line continuing a dropped block (a stack frame) is dropped with it. Blank lines are dropped
 * without starting a block: an esbuild error's details (file, line, code frame) come indented after
 * a blank line, and must not be taken for a dropped block's continuation.
 */
export function outputFilter(): (line: string) => boolean {
  let inDroppedBlock = false
  return (line) => {
    if (/^\s*$/.test(line)) return false
    if (inDroppedBlock && /^\s+at |^\s{2,}\S/.test(line)) return false
    inDroppedBlock = DROP.some((re) => re.test(line))
    return !inDroppedBlock
  }
}

/**
 * Passes `input`'s lines through `transform` (null drops a line) to `out`, in one write per chunk
 * read. A line split across chunks is joined; a last line without a newline is written when the
 * input ends. (Wrangler's own writes are gathered before they reach the pipe: gather-writes.mjs.)
 */
export function relayLines(input: NodeJS.ReadableStream, out: { write(s: string): unknown }, transform: (line: string) => string | null): void {
  let partial = ''
  const relay = (text: string) => {
    const lines = (partial + text).split('\n')
    partial = lines.pop() ?? ''
    let kept = ''
    for (const raw of lines) {
      const line = transform(raw.endsWith('\r') ? raw.slice(0, -1) : raw)
      if (line !== null) kept += `${line}\n`
    }
    if (kept) out.write(kept)
  }
  input.setEncoding('utf8')
  input.on('data', (text: string) => relay(text))
  input.on('end', () => {
    if (partial) relay('\n')
  })
}
