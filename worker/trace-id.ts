/**
 * Trace ids in Motia's shape (`K7PQR-4123456`: letters from an unambiguous alphabet, a dash, the
 * last digits of the clock), with six letters instead of five to make collisions rarer.
 * @module
 */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'

export function newTraceId(now = Date.now()): string {
  const bytes = new Uint8Array(6)
  crypto.getRandomValues(bytes)
  let head = ''
  for (const b of bytes) head += ALPHABET[b % ALPHABET.length]
  return `${head}-${String(now).slice(-7)}`
}

/** State groups named like a trace id live in that trace's TraceObject. */
export function isTraceId(value: string): boolean {
  return /^[A-Z2-9]{5,8}-\d{7}$/.test(value)
}
