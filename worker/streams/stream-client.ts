/**
 * `ctx.streams.<name>`: Motia's stream API over the group's StreamObject. `set` checks the
 * stream's schema first; returned items carry Motia's `__motia` marker, which lets the workbench
 * follow an item an API step returned.
 * @module
 */
import type { MotiaStream, StreamChannel, Streams, UpdateOp } from '../../sdk/context-types'
import { ValidationError } from '../../sdk/errors'
import { checkSchema } from '../../sdk/schema-input'
import type { StreamConfig } from '../../sdk/stream-types'
import type { StreamChangeSink } from '../change-triggers'
import type { StepflareEnv } from '../env'
import { checkPayload } from '../payload-limits'
import { streamObjectName } from './registry'

export interface StreamOpRecord {
  op: 'get' | 'set' | 'delete' | 'getGroup' | 'send' | 'update'
  stream: string
  groupId: string
  id?: string
  at: number
}

type Item = Record<string, unknown> & { id: string }

function mark(streamName: string, groupId: string, item: Item | null): Item | null {
  return item ? { ...item, __motia: { type: 'state-stream', streamName, groupId, id: item.id } } : null
}

/** `changed`: where item changes go for stream triggers (change-triggers.ts); absent when none listens. */
export function createStream(env: StepflareEnv, config: StreamConfig, record: (op: StreamOpRecord) => void, changed?: StreamChangeSink): MotiaStream<unknown> {
  const name = config.name
  const stub = (groupId: string) => env.STEPFLARE_STREAM.getByName(streamObjectName(name, groupId))
  const note = (op: StreamOpRecord['op'], groupId: string, id?: string) =>
    record({ op, stream: name, groupId, ...(id !== undefined ? { id } : {}), at: Date.now() })
  const validate = (data: unknown) => {
    const checked = checkSchema(config.schema, data)
    if (!checked.ok) throw new ValidationError(`stream ${JSON.stringify(name)}: the item does not match the stream's schema`, checked.issues)
  }
  const set = async (groupId: string, id: string, data: unknown) => {
    note('set', groupId, id)
    checkPayload(data, `stream item ${name}/${groupId}/${id}`)
    validate(data)
    const { item, created } = await stub(groupId).setItem(name, groupId, id, data)
    if (changed) await changed(created ? 'create' : 'update', name, groupId, id, item)
    return mark(name, groupId, item as Item) as Item
  }
  return {
    async get(groupId, id) {
      note('get', groupId, id)
      return mark(name, groupId, (await stub(groupId).getItem(id)) as Item | null)
    },
    set,
    async delete(groupId, id) {
      note('delete', groupId, id)
      const deleted = (await stub(groupId).deleteItem(name, groupId, id)) as Item | null
      if (changed && deleted) await changed('delete', name, groupId, id, deleted)
      return mark(name, groupId, deleted)
    },
    async getGroup(groupId) {
      note('getGroup', groupId)
      return ((await stub(groupId).getGroupItems()) as Item[]).map((i) => mark(name, groupId, i) as Item)
    },
    async send(channel: StreamChannel, event: { type: string; data: unknown }) {
      note('send', channel.groupId, channel.id)
      checkPayload(event, `the event sent to stream ${name}/${channel.groupId}`)
      await stub(channel.groupId).sendEvent(name, channel.groupId, channel.id, event)
    },
    async update(groupId: string, id: string, ops: UpdateOp[]) {
      note('update', groupId, id)
      checkPayload(ops, `the update of stream item ${name}/${groupId}/${id}`)
      const updated = (await stub(groupId).updateItem(name, groupId, id, ops)) as Item | null
      if (changed) await changed(updated ? 'update' : 'delete', name, groupId, id, updated)
      return mark(name, groupId, updated)
    },
  } as MotiaStream<unknown>
}

export function createStreams(
  env: StepflareEnv,
  streams: Map<string, StreamConfig>,
  record: (op: StreamOpRecord) => void,
  changed?: StreamChangeSink,
): Streams {
  const out: Record<string, MotiaStream<unknown>> = {}
  for (const config of streams.values()) out[config.name] = createStream(env, config, record, changed)
  return out as Streams
}
