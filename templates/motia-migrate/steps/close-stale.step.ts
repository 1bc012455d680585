import type { CronConfig, Handlers } from 'motia'

export const config: CronConfig = { type: 'cron', name: 'CloseStale', cron: '0 * * * *', emits: [], flows: ['support'] }

export const handler: Handlers['CloseStale'] = async ({ state, logger }) => {
  const tickets = await state.getGroup<{ id: string; status: string }>('tickets')
  logger.info('open tickets', { count: tickets.filter((t) => t.status === 'open').length })
}
