// The live poll. It speaks the stream protocol directly (join a group, then apply its sync,
// create and update events), so it needs no bundler; a larger app would use `stepflare/client`
// or the React hooks of `stepflare/react`.
export const livePage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Live poll</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 32rem; }
  button { font: inherit; padding: .4rem .8rem; margin-right: .4rem; }
  li { margin: .3rem 0; } #status { color: #666; font-size: .85rem; }
</style>
</head>
<body>
<h1>Cats, dogs or fish?</h1>
<p id="status">connecting…</p>
<p><button data-option="cats">Cats</button><button data-option="dogs">Dogs</button><button data-option="fish">Fish</button></p>
<ul id="results"></ul>
<script>
  const votes = new Map()
  const render = () => {
    const ul = document.getElementById('results')
    ul.innerHTML = ''
    for (const v of [...votes.values()].sort((a, b) => b.count - a.count)) {
      const li = document.createElement('li')
      li.textContent = v.option + ': ' + v.count
      ul.append(li)
    }
  }
  for (const b of document.querySelectorAll('button')) {
    b.onclick = () => fetch('/votes', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ option: b.dataset.option }) })
  }
  const connect = () => {
    const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/')
    ws.onopen = () => {
      document.getElementById('status').textContent = 'live'
      ws.send(JSON.stringify({ type: 'join', data: { streamName: 'votes', groupId: 'poll', subscriptionId: 'poll' } }))
    }
    ws.onmessage = (m) => {
      const f = JSON.parse(m.data)
      if (!f.event) return
      if (f.event.type === 'sync') { votes.clear(); for (const v of f.event.data) votes.set(v.id, v) }
      else if (f.event.type === 'create' || f.event.type === 'update') votes.set(f.event.data.id, f.event.data)
      else if (f.event.type === 'delete') votes.delete(f.event.data.id)
      render()
    }
    ws.onclose = () => { document.getElementById('status').textContent = 'reconnecting…'; setTimeout(connect, 1000) }
  }
  connect()
</script>
</body>
</html>
`
