import type { CronConfig, Handlers } from 'stepflare'

export const config: CronConfig = {
  type: 'cron',
  name: 'OrdersReport',
  description: 'Every minute: counts fulfilled orders',
  cron: '* * * * *',
  emits: [],
  flows: ['orders'],
}

export const handler: Handlers['OrdersReport'] = async ({ state, logger }) => {
  const done = await state.getGroup('order-stats')
  await state.set('reports', 'latest', { fulfilled: done.length, at: new Date().toISOString() })
  logger.info('orders report', { fulfilled: done.length })
}
