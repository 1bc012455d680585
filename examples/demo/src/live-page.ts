// The live order board. It speaks the stream protocol directly (join, then sync/create/update
// events), so it needs no bundler; a larger app would use `stepflare/client` or `stepflare/react`.
export const livePage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Orders, live</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 44rem; color: #1d1d1f; }
  h1 { font-size: 1.4rem; } form { display: flex; gap: .5rem; margin: 1rem 0; }
  input, button { font: inherit; padding: .35rem .6rem; } table { border-collapse: collapse; width: 100%; }
  td, th { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #ddd; }
  .created { color: #8a6d00; } .paid { color: #0b5cad; } .fulfilled { color: #1a7f37; font-weight: 600; }
  #status { color: #666; font-size: .85rem; }
</style>
</head>
<body>
<h1>Orders, live</h1>
<p id="status">connecting…</p>
<form id="order"><input name="id" placeholder="order id" required><input name="amount" type="number" min="1" value="10" required><button>Place order</button></form>
<table><thead><tr><th>Order</th><th>Amount</th><th>Status</th></tr></thead><tbody id="board"></tbody></table>
<script>
  const items = new Map()
  const board = document.getElementById('board')
  const render = () => {
    board.innerHTML = ''
    for (const o of [...items.values()].sort((a, b) => a.id.localeCompare(b.id))) {
      const tr = document.createElement('tr')
      tr.dataset.id = o.id
      tr.innerHTML = '<td></td><td></td><td></td>'
      tr.children[0].textContent = o.id
      tr.children[1].textContent = o.amount
      tr.children[2].textContent = o.status
      tr.children[2].className = o.status
      board.append(tr)
    }
  }
  const connect = () => {
    const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/')
    ws.onopen = () => {
      document.getElementById('status').textContent = 'live'
      ws.send(JSON.stringify({ type: 'join', data: { streamName: 'orders', groupId: 'board', subscriptionId: 'board' } }))
    }
    ws.onmessage = (m) => {
      const f = JSON.parse(m.data)
      if (!f.event) return
      if (f.event.type === 'sync') { items.clear(); for (const o of f.event.data) items.set(o.id, o) }
      else if (f.event.type === 'create' || f.event.type === 'update') items.set(f.event.data.id, f.event.data)
      else if (f.event.type === 'delete') items.delete(f.event.data.id)
      render()
    }
    ws.onclose = () => { document.getElementById('status').textContent = 'reconnecting…'; setTimeout(connect, 1000) }
  }
  connect()
  document.getElementById('order').onsubmit = async (e) => {
    e.preventDefault()
    const form = new FormData(e.target)
    await fetch('/orders', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: form.get('id'), amount: Number(form.get('amount')) }) })
    e.target.reset()
  }
</script>
</body>
</html>
`
