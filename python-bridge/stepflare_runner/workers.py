"""The Workers Python target: the runner inside a Python Worker (Pyodide). The JavaScript Worker
calls `invoke(body)` over an RPC service binding with the same JSON request as `POST /invoke`
(PROTOCOL.md) and gets the same JSON response back. State and stream callbacks go back as the same
signed requests, through the Python Worker's `STEPFLARE` service binding (or the global `fetch`).

Pyodide has no threads: async handlers run as everywhere else; a plain `def handler` runs on the
event loop and cannot make state or stream calls (it may log and emit)."""

from __future__ import annotations

import json
from typing import Any, List, Optional, Tuple

from .callbacks import AsyncPoster
from .errors import ProtocolError, serialize_error
from .jsonable import dumps
from .loader import load_files
from .server import Runner, check_request


class WorkersRunner:
    def __init__(self, files: List[str], poster: Optional[AsyncPoster] = None) -> None:
        self.runner = Runner(load_files(files), threads=0, poster=poster)

    def set_poster(self, poster: AsyncPoster) -> None:
        self.runner.poster = poster

    async def invoke(self, body: str) -> str:
        """One invocation: a JSON request in, a JSON response out (errors in protocol shape)."""
        try:
            req = check_request(json.loads(body or "null"))
        except (ValueError, ProtocolError) as err:
            error = err if isinstance(err, ProtocolError) else ProtocolError(f"body is not JSON: {err}")
            return dumps({"ok": False, "error": serialize_error(error), "logs": [], "stateOps": []}).decode()
        try:
            return dumps(await self.runner.invoke(req)).decode()
        except Exception as err:  # a bug in the runner itself: still answer in protocol shape
            return dumps({"ok": False, "error": serialize_error(err), "logs": [], "stateOps": []}).decode()

    def health(self) -> dict:
        return self.runner.health()


def binding_poster(binding: Any = None) -> AsyncPoster:
    """Posts through a service binding (`env.STEPFLARE`) when given, else the global `fetch`."""

    async def post(url: str, body: bytes, headers: dict) -> Tuple[int, bytes]:
        import js  # type: ignore[import-not-found]  # Pyodide's bridge to JavaScript
        from pyodide.ffi import to_js  # type: ignore[import-not-found]

        init = to_js({"method": "POST", "headers": headers, "body": body.decode("utf-8")}, dict_converter=js.Object.fromEntries)
        res = await (binding.fetch(url, init) if binding is not None else js.fetch(url, init))
        return int(res.status), str(await res.text()).encode("utf-8")

    return post
