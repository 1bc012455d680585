import type { ApiRouteConfig, Handlers } from 'stepflare'

export const config: ApiRouteConfig = { type: 'api', name: 'GetText', path: '/texts/:id', method: 'GET', emits: [], flows: ['texts'] }

export const handler: Handlers['GetText'] = async (req, { state }) => {
  const text = await state.get('texts', req.pathParams.id)
  return text ? { status: 200, body: text } : { status: 404, body: { error: 'text not found' } }
}
