/**
 * Trace ids in Motia's shape (`K7PQR-4123456`: letters from an unambiguous alphabet, a dash, the
 * last digits of the clock), with six letters instead of five to make collisions rarer.
 * @module
 */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
const LETTERS = 6

// Random bytes drawn a pool at a time: one `getRandomValues` call costs about as much as the rest
// of the id. Filled on first use (random values are not allowed at a Worker's global scope).
const pool = new Uint8Array(LETTERS * 256)
let used = pool.length
// Every two-letter pair, so an id's letters are three lookups rather than six string appends. The
// alphabet has 32 letters: a random byte gives one through its low five bits.
const PAIRS = Array.from({ length: ALPHABET.length ** 2 }, (_, i) => `${ALPHABET[i >> 5]}${ALPHABET[i & 31]}`)
const pair = (i: number) => PAIRS[(((pool[i] as number) & 31) << 5) | ((pool[i + 1] as number) & 31)] as string

export function newTraceId(now = Date.now()): string {
  if (used === pool.length) {
    crypto.getRandomValues(pool)
    used = 0
  }
  const head = pair(used) + pair(used + 2) + pair(used + 4)
  used += LETTERS
  return `${head}-${String(now).slice(-7)}`
}

/** State groups named like a trace id live in that trace's TraceObject. */
export function isTraceId(value: string): boolean {
  return /^[A-Z2-9]{5,8}-\d{7}$/.test(value)
}
