import { defineConfig } from 'stepflare'

// Enough retries that a 10% failure rate never exhausts them (0.1^11), with a short backoff
// so the soak finishes in minutes.
export default defineConfig({ queue: { maxRetries: 10, backoffDelayMs: 100, maxBackoffMs: 2000 } })
