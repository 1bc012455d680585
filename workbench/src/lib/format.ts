/** Small formatting helpers shared by the views. */

export function ms(n: number): string {
  if (n < 1) return '<1 ms'
  if (n < 1000) return `${Math.round(n)} ms`
  if (n < 60_000) return `${(n / 1000).toFixed(n < 10_000 ? 2 : 1)} s`
  return `${Math.floor(n / 60_000)} m ${Math.round((n % 60_000) / 1000)} s`
}

export function ago(t: number, now = Date.now()): string {
  const d = Math.max(0, now - t)
  if (d < 5_000) return 'just now'
  if (d < 60_000) return `${Math.floor(d / 1000)} s ago`
  if (d < 3_600_000) return `${Math.floor(d / 60_000)} min ago`
  if (d < 86_400_000) return `${Math.floor(d / 3_600_000)} h ago`
  return new Date(t).toLocaleDateString()
}

export function until(t: number, now = Date.now()): string {
  const d = t - now
  if (d <= 1000) return 'now'
  if (d < 60_000) return `in ${Math.ceil(d / 1000)} s`
  if (d < 3_600_000) return `in ${Math.round(d / 60_000)} min`
  return `in ${(d / 3_600_000).toFixed(1)} h`
}

export function clock(t: number): string {
  const d = new Date(t)
  return `${d.toLocaleTimeString(undefined, { hour12: false })}.${String(d.getMilliseconds()).padStart(3, '0')}`
}

export function bytes(n: number): string {
  return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 / 1024).toFixed(2)} MiB`
}

export function pretty(v: unknown): string {
  return JSON.stringify(v, null, 2) ?? 'undefined'
}
