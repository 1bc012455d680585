/**
 * The queue message body. It names the delivery only: the payload stays in the trace object and
 * comes back from `begin`, so a message is always a few hundred bytes whatever the event's size
 * (the queue's own limit is 128 KB per message).
 * @module
 */
export interface EventMessage {
  v: 1
  traceId: string
  deliveryId: string
  step: string
  topic: string
}

export function isEventMessage(body: unknown): body is EventMessage {
  const b = body as EventMessage
  return typeof b === 'object' && b !== null && b.v === 1 && typeof b.traceId === 'string' && typeof b.deliveryId === 'string'
}
