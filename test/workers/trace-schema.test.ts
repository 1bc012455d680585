import { env, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { migrateDeliveriesTable } from '../../objects/trace/deliveries'
import type { StepflareEnv } from '../../worker/env'

const e = env as unknown as StepflareEnv

describe('TraceObject schema', () => {
  it('adds the columns a database from an earlier version lacks, and leaves a current one alone', async () => {
    const stub = e.STEPFLARE_TRACE.getByName('SCHEMA-0000001')
    await runInDurableObject(stub, (_instance, state) => {
      const sql = state.storage.sql
      const columns = () =>
        sql
          .exec<{ name: string }>('PRAGMA table_info(deliveries)')
          .toArray()
          .map((c) => c.name)
      expect(columns()).toContain('sent')
      sql.exec('ALTER TABLE deliveries DROP COLUMN sent')
      expect(columns()).not.toContain('sent')
      migrateDeliveriesTable(sql)
      expect(columns()).toContain('sent')
      migrateDeliveriesTable(sql)
      expect(columns().filter((c) => c === 'sent')).toHaveLength(1)
    })
  })
})
