"""State and stream calls back to the Worker: `POST <callbackUrl>` with `{invocationId, seq, op,
args, step, traceId}`, signed with HMAC-SHA256 under a key derived from the invocation's token.

The token is `<claims>.<mac>`; only the claims part travels back (`x-stepflare-claims`), so a
captured callback does not reveal the key. See PROTOCOL.md."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import urllib.error
import urllib.request
from typing import Any, Awaitable, Callable, Optional, Tuple

from .errors import CallbackError
from .jsonable import dumps

SIGNATURE_HEADER = "x-stepflare-signature"
CLAIMS_HEADER = "x-stepflare-claims"
KEY_LABEL = b"stepflare.callback.v1"

OPS = frozenset(
    [
        "state.get", "state.set", "state.delete", "state.getGroup", "state.clear", "state.update", "state.list", "state.listGroups",
        "streams.get", "streams.set", "streams.delete", "streams.getGroup", "streams.send",
    ]
)


def derive_key(token: str) -> bytes:
    return hmac.new(token.encode("utf-8"), KEY_LABEL, hashlib.sha256).digest()


def sign(key: bytes, body: bytes) -> str:
    return "v1=" + hmac.new(key, body, hashlib.sha256).hexdigest()


# An async transport for callbacks (the Workers Python target: no threads, no blocking sockets):
# `await poster(url, body, headers)` -> (HTTP status, response body).
AsyncPoster = Callable[[str, bytes, dict], Awaitable[Tuple[int, bytes]]]


def claims_part(token: str) -> str:
    return token.split(".", 1)[0]


class CallbackClient:
    """One per invocation. `call` blocks (it runs in a worker thread); `acall` sends through the
    async `poster` when there is one. Sequence numbers are unique per invocation, so the Worker can
    refuse a replayed request."""

    def __init__(self, url: str, token: str, invocation_id: str, step: str, trace_id: str, timeout_s: float = 30.0, poster: Optional[AsyncPoster] = None) -> None:
        self.url = url
        self.poster = poster
        self.invocation_id = invocation_id
        self.step = step
        self.trace_id = trace_id
        self.timeout_s = timeout_s
        self._claims = claims_part(token)
        self._key = derive_key(token)
        self._seq = itertools.count(1)
        self._lock = threading.Lock()

    def next_seq(self) -> int:
        with self._lock:
            return next(self._seq)

    def build(self, op: str, args: list) -> tuple[bytes, dict]:
        body = dumps({"invocationId": self.invocation_id, "seq": self.next_seq(), "op": op, "args": args, "step": self.step, "traceId": self.trace_id})
        headers = {"content-type": "application/json", CLAIMS_HEADER: self._claims, SIGNATURE_HEADER: sign(self._key, body)}
        return body, headers

    def call(self, op: str, args: list) -> Any:
        if op not in OPS:
            raise ValueError(f"unknown callback op {op!r}")
        body, headers = self.build(op, args)
        return post(self.url, body, headers, self.timeout_s, op)

    async def acall(self, op: str, args: list) -> Any:
        if op not in OPS:
            raise ValueError(f"unknown callback op {op!r}")
        if self.poster is None:
            raise RuntimeError("acall needs an async poster")
        body, headers = self.build(op, args)
        try:
            status, raw = await self.poster(self.url, body, headers)
        except Exception as err:
            raise CallbackError(f"{op}: the Worker at {self.url} could not be reached: {err}", name="CallbackUnreachableError", code="CALLBACK_UNREACHABLE") from err
        if status >= 400:
            raise _refusal_from(status, raw, op)
        return _result(raw, op)


def post(url: str, body: bytes, headers: dict, timeout_s: float, op: str) -> Any:
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=timeout_s) as res:
            payload = json.loads(res.read() or b"null")
    except urllib.error.HTTPError as err:
        raise _refusal(err, op) from None
    except (urllib.error.URLError, OSError) as err:
        raise CallbackError(f"{op}: the Worker at {url} could not be reached: {err}", name="CallbackUnreachableError", code="CALLBACK_UNREACHABLE") from err
    return _checked(payload, op)


def _result(raw: bytes, op: str) -> Any:
    try:
        payload = json.loads(raw or b"null")
    except ValueError:
        payload = raw[:200]
    return _checked(payload, op)


def _checked(payload: Any, op: str) -> Any:
    if not isinstance(payload, dict) or payload.get("ok") is not True:
        raise CallbackError(f"{op}: the Worker answered {payload!r}, expected {{ok: true, result}}", name="CallbackProtocolError")
    return payload.get("result")


def _refusal(err: urllib.error.HTTPError, op: str) -> CallbackError:
    return _refusal_from(err.code, err.read(), op)


def _refusal_from(status: int, raw: bytes, op: str) -> CallbackError:
    try:
        info = json.loads(raw or b"{}").get("error") or {}
    except (ValueError, AttributeError):
        info = {}
    message = info.get("message") or f"HTTP {status}"
    return CallbackError(f"{op}: {message}", name=info.get("name") or "CallbackError", code=info.get("code"), status=status)
