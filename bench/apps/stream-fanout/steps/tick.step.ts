import type { ApiRequest, ApiRouteConfig, FlowContext } from 'stepflare'

// POST /tick/:group {n, sentAt}: one change to the group's "latest" item.
export const config: ApiRouteConfig = { type: 'api', name: 'Tick', path: '/tick/:group', method: 'POST', emits: [] }

export const handler = async (req: ApiRequest<{ n: number; sentAt: number }>, { streams }: FlowContext) => {
  await streams.ticker.set(req.pathParams.group as string, 'latest', req.body)
  return { status: 204, body: null }
}
