import { useState } from 'react'
import { JsonTree } from '../../components/json-tree'
import { enc, send } from '../../lib/api'
import { pretty } from '../../lib/format'
import type { StateItem } from './state-view'

/** One state value: a JSON tree; Edit turns it into a JSON editor that saves with PUT. */
export function ValuePanel({ group, item, onEditing, onChanged }: { group: string; item: StateItem; onEditing: (e: boolean) => void; onChanged: () => void }) {
  const [text, setText] = useState<string>()
  const [error, setError] = useState<string>()
  const edit = (t: string | undefined) => {
    setText(t)
    setError(undefined)
    onEditing(t !== undefined)
  }
  const save = async () => {
    let value: unknown
    try {
      value = JSON.parse(text ?? '')
    } catch (err) {
      return setError(`Not valid JSON: ${(err as Error).message}`)
    }
    try {
      await send('PUT', `/state/${enc(group)}/${enc(item.key)}`, value)
      edit(undefined)
      onChanged()
    } catch (err) {
      setError((err as Error).message)
    }
  }
  const remove = async () => {
    if (!confirm(`Delete ${group} / ${item.key}?`)) return
    await send('DELETE', `/state/${enc(group)}/${enc(item.key)}`)
    onChanged()
  }
  return (
    <div className="value-panel" data-testid="state-value">
      <div className="value-head">
        <div>
          <div className="eyebrow">{group}</div>
          <h2 className="mono">{item.key}</h2>
        </div>
        <div className="actions">
          {text === undefined ? (
            <>
              <button type="button" className="btn" onClick={() => edit(pretty(item.value))} data-testid="state-edit">
                Edit
              </button>
              <button type="button" className="btn danger" onClick={remove} data-testid="state-delete">
                Delete
              </button>
            </>
          ) : (
            <>
              <button type="button" className="btn ghost" onClick={() => edit(undefined)}>
                Cancel
              </button>
              <button type="button" className="btn primary" onClick={save} data-testid="state-save">
                Save
              </button>
            </>
          )}
        </div>
      </div>
      {error && <div className="error-note">{error}</div>}
      {text === undefined ? (
        <div className="json-box">
          <JsonTree value={item.value} open={4} />
        </div>
      ) : (
        <textarea className="code value-editor" name="value" value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} rows={14} />
      )}
    </div>
  )
}
