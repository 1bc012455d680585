import { useState } from 'react'
import { ErrorNote, ViewHeader } from '../../components/layout'
import { enc, get } from '../../lib/api'
import { usePoll } from '../../lib/use-poll'
import { href } from '../../lib/use-route'
import { AddItem } from './add-item'
import { ValuePanel } from './value-panel'

export interface StateItem {
  key: string
  value: unknown
}

function preview(v: unknown): string {
  const s = JSON.stringify(v) ?? ''
  return s.length > 90 ? `${s.slice(0, 90)}…` : s
}

/** State groups, their keys, and one value as a JSON tree to edit or delete. */
export function StateView({ group }: { group?: string }) {
  const groups = usePoll((signal) => get<{ groups: string[] }>('/state', signal), 3000, [])
  const current = group ?? groups.data?.groups[0]
  const [editing, setEditing] = useState(false)
  const items = usePoll(
    (signal) => (current ? get<{ items: StateItem[] }>(`/state/${enc(current)}`, signal) : Promise.resolve({ items: [] })),
    editing ? 0 : 2000,
    [current, editing],
  )
  const [key, setKey] = useState<string>()
  const [adding, setAdding] = useState(false)
  const selected = items.data?.items.find((i) => i.key === key) ?? items.data?.items[0]
  const refresh = () => {
    groups.reload()
    items.reload()
  }
  return (
    <div className="view">
      <ViewHeader title="State" subtitle="Groups and keys in Durable Object SQLite">
        <button type="button" className="btn primary" onClick={() => setAdding(true)} data-testid="state-add">
          + Add item
        </button>
      </ViewHeader>
      <ErrorNote error={groups.error ?? items.error} />
      {adding && (
        <AddItem
          group={current}
          onDone={(g, k) => {
            setAdding(false)
            if (g) {
              location.hash = href('state', [g])
              setKey(k)
            }
            refresh()
          }}
        />
      )}
      <div className="three-cols">
        <ul className="list col" data-testid="state-groups">
          <li className="col-title">Groups</li>
          {groups.data?.groups.length === 0 && <li className="muted pad">No state yet.</li>}
          {groups.data?.groups.map((g) => (
            <li key={g}>
              <a href={href('state', [g])} className={`list-item ${g === current ? 'active' : ''}`} data-group={g} onClick={() => setKey(undefined)}>
                <span className="list-main mono">{g}</span>
              </a>
            </li>
          ))}
        </ul>
        <ul className="list col" data-testid="state-keys">
          <li className="col-title">
            Keys {current && <span className="muted">in {current}</span>} <span className="count">{items.data?.items.length ?? ''}</span>
          </li>
          {items.data?.items.map((i) => (
            <li key={i.key}>
              <button type="button" className={`list-item ${i.key === selected?.key ? 'active' : ''}`} data-key={i.key} onClick={() => setKey(i.key)}>
                <span className="list-main">
                  <span className="mono">{i.key}</span>
                  <small className="mono muted">{preview(i.value)}</small>
                </span>
              </button>
            </li>
          ))}
        </ul>
        <div className="col value-col">
          {current && selected ? (
            <ValuePanel key={`${current}/${selected.key}`} group={current} item={selected} onEditing={setEditing} onChanged={refresh} />
          ) : (
            <div className="muted pad">Select a key to see its value.</div>
          )}
        </div>
      </div>
    </div>
  )
}
