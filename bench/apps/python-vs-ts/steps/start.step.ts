import type { ApiRequest, ApiRouteConfig, FlowContext } from 'stepflare'

// POST /run/:lang emits work for the Python step (py) or the same step in TypeScript (ts).
export const config: ApiRouteConfig = { type: 'api', name: 'Start', path: '/run/:lang', method: 'POST', emits: ['work.py', 'work.ts'] }

export const handler = async (req: ApiRequest<{ n: number }>, { emit, traceId }: FlowContext) => {
  await emit({ topic: req.pathParams.lang === 'py' ? 'work.py' : 'work.ts', data: { n: req.body.n, sentAt: Date.now() } })
  return { status: 202, body: { traceId } }
}
