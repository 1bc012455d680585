import type { CronConfig, Handlers } from 'stepflare'

// Every day at 09:00 UTC (`stepflare dev` fires crons locally too).
export const config: CronConfig = { type: 'cron', name: 'DailySummary', cron: '0 9 * * *', emits: [], flows: ['todos'] }

export const handler: Handlers['DailySummary'] = async ({ state, logger }) => {
  const todos = await state.getGroup<{ status: string }>('todos')
  const open = todos.filter((t) => t.status !== 'done').length
  await state.set('summaries', 'latest', { total: todos.length, open })
  logger.info('daily summary', { total: todos.length, open })
}
