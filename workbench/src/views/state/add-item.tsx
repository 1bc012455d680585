import { useState } from 'react'
import { enc, send } from '../../lib/api'

/** A new (or replaced) state item: group, key and a JSON value. */
export function AddItem({ group, onDone }: { group?: string; onDone: (group?: string, key?: string) => void }) {
  const [g, setG] = useState(group ?? '')
  const [k, setK] = useState('')
  const [text, setText] = useState('{\n  \n}')
  const [error, setError] = useState<string>()
  const save = async () => {
    if (!g || !k) return setError('Group and key are required')
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (err) {
      return setError(`Not valid JSON: ${(err as Error).message}`)
    }
    try {
      await send('PUT', `/state/${enc(g)}/${enc(k)}`, value)
      onDone(g, k)
    } catch (err) {
      setError((err as Error).message)
    }
  }
  return (
    <div className="card add-item" data-testid="state-add-form">
      <div className="form-row">
        <label className="field">
          <span className="field-name">group</span>
          <input name="group" value={g} onChange={(e) => setG(e.target.value)} />
        </label>
        <label className="field">
          <span className="field-name">key</span>
          <input name="key" value={k} onChange={(e) => setK(e.target.value)} />
        </label>
      </div>
      <label className="field">
        <span className="field-name">value (JSON)</span>
        <textarea className="code" name="new-value" rows={5} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
      </label>
      {error && <div className="error-note">{error}</div>}
      <div className="actions">
        <button type="button" className="btn ghost" onClick={() => onDone()}>
          Cancel
        </button>
        <button type="button" className="btn primary" onClick={save} data-testid="state-add-save">
          Save
        </button>
      </div>
    </div>
  )
}
