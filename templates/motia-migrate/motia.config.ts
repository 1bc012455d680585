// Kept as it was in Motia: stepflare reads motia.config.ts. Its `plugins`, `redis` and `adapters`
// are accepted and ignored (the workbench, state, queues and streams are built in), and the
// plugin imports resolve to a stub, so they need not be installed.
import { defineConfig } from '@motiadev/core'
import endpointPlugin from '@motiadev/plugin-endpoint/plugin'
import logsPlugin from '@motiadev/plugin-logs/plugin'

export default defineConfig({
  plugins: [endpointPlugin, logsPlugin],
  redis: { useMemoryServer: true },
})
