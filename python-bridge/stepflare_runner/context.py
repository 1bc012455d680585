"""The `context` a Python handler receives — Motia 0.x's classic API: `trace_id`, `flows`,
`emit`, `logger`, `state`, `streams`. Emits and logs are buffered by the invocation; state and
stream calls go back to the Worker (see invocation.Invocation.call)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Iterable, Optional

from .jsonable import safe_meta

if TYPE_CHECKING:
    from .invocation import Invocation


class Ready:
    """An already-finished awaitable: `await context.emit(...)` works, and so does not awaiting it."""

    __slots__ = ("value",)

    def __init__(self, value: Any = None) -> None:
        self.value = value

    def __await__(self):
        return self.value
        yield  # pragma: no cover  (makes this a generator)


def motia_get_shape(value: Any) -> Any:
    """Motia's quirk for Python `state.get`: a dict comes back as `{'data': value}` (unless it
    already has a `data` key), a missing value as `{'data': None}`, anything else as is."""
    if value is None:
        return {"data": None}
    if isinstance(value, dict) and "data" not in value:
        return {"data": value}
    return value


def _check(kind: str, method: str, group: Any, key: Any = ..., what: str = "key") -> None:
    if not isinstance(group, str) or group == "":
        raise TypeError(f"{kind}.{method}: expected a non-empty string group id, found {group!r}")
    if key is not ... and (not isinstance(key, str) or key == ""):
        raise TypeError(f"{kind}.{method}: expected a non-empty string {what}, found {key!r}")


class Logger:
    def __init__(self, sink, base: Optional[dict] = None) -> None:
        self._sink = sink
        self._base = base or {}

    def _write(self, level: str, msg: Any, meta: Any = None) -> None:
        record = {"level": level, "time": int(time.time() * 1000), "msg": str(msg), **self._base}
        if meta is not None:
            meta = safe_meta(meta)
            record.update(meta if isinstance(meta, dict) else {"data": meta})
        self._sink(record)

    def info(self, msg: Any, meta: Any = None) -> None:
        self._write("info", msg, meta)

    def warn(self, msg: Any, meta: Any = None) -> None:
        self._write("warn", msg, meta)

    warning = warn

    def error(self, msg: Any, meta: Any = None) -> None:
        self._write("error", msg, meta)

    def debug(self, msg: Any, meta: Any = None) -> None:
        self._write("debug", msg, meta)

    def log(self, record: dict) -> None:
        record = dict(record or {})
        level = record.pop("level", "info")
        self._write(level if level in ("debug", "info", "warn", "error") else "info", record.pop("msg", ""), record)

    def child(self, meta: dict) -> "Logger":
        extra = safe_meta(meta)
        return Logger(self._sink, {**self._base, **(extra if isinstance(extra, dict) else {"data": extra})})


class State:
    def __init__(self, inv: "Invocation") -> None:
        self._inv = inv

    def get(self, group_id: str, key: str):
        _check("state", "get", group_id, key)
        return self._inv.call("state.get", [group_id, key], motia_get_shape)

    def set(self, group_id: str, key: str, value: Any):
        _check("state", "set", group_id, key)
        return self._inv.call("state.set", [group_id, key, self._inv.json(value, "state.set value")])

    def delete(self, group_id: str, key: str):
        _check("state", "delete", group_id, key)
        return self._inv.call("state.delete", [group_id, key])

    def get_group(self, group_id: str):
        _check("state", "get_group", group_id)
        return self._inv.call("state.getGroup", [group_id], motia_get_shape)

    getGroup = get_group

    def clear(self, group_id: str):
        _check("state", "clear", group_id)
        return self._inv.call("state.clear", [group_id])

    def update(self, group_id: str, key: str, ops: list):
        """Atomic update: `[{'type': 'set'|'merge'|'increment'|'decrement'|'remove', 'path'?, ...}]`."""
        _check("state", "update", group_id, key)
        if not isinstance(ops, (list, tuple)):
            raise TypeError(f"state.update: expected a list of operations, found {ops!r}")
        return self._inv.call("state.update", [group_id, key, self._inv.json(list(ops), "state.update ops")])

    def list(self, group_id: str):
        _check("state", "list", group_id)
        return self._inv.call("state.list", [group_id])

    def list_groups(self):
        return self._inv.call("state.listGroups", [])

    listGroups = list_groups


class Stream:
    def __init__(self, inv: "Invocation", name: str) -> None:
        self._inv = inv
        self.name = name

    def get(self, group_id: str, id: str):
        _check(f"streams.{self.name}", "get", group_id, id, "id")
        return self._inv.call("streams.get", [self.name, group_id, id])

    def set(self, group_id: str, id: str, data: Any):
        _check(f"streams.{self.name}", "set", group_id, id, "id")
        return self._inv.call("streams.set", [self.name, group_id, id, self._inv.json(data, f"streams.{self.name}.set data")])

    def delete(self, group_id: str, id: str):
        _check(f"streams.{self.name}", "delete", group_id, id, "id")
        return self._inv.call("streams.delete", [self.name, group_id, id])

    def get_group(self, group_id: str):
        _check(f"streams.{self.name}", "get_group", group_id)
        return self._inv.call("streams.getGroup", [self.name, group_id])

    getGroup = get_group

    def send(self, channel: dict, event: dict):
        if not isinstance(channel, dict) or not isinstance(channel.get("groupId"), str):
            raise TypeError(f"streams.{self.name}.send: expected a channel {{'groupId': str, 'id'?: str}}, found {channel!r}")
        if not isinstance(event, dict) or not isinstance(event.get("type"), str):
            raise TypeError(f"streams.{self.name}.send: expected an event {{'type': str, 'data': ...}}, found {event!r}")
        return self._inv.call("streams.send", [self.name, self._inv.json(channel, "channel"), self._inv.json(event, "event")])


class Streams(dict):
    """`context.streams.<name>` (and `context.streams['name']`). With the project's stream names
    known, an unknown name is an AttributeError that lists them; otherwise any name is accepted."""

    def __init__(self, inv: "Invocation", names: Optional[Iterable[str]] = None) -> None:
        super().__init__()
        self._inv = inv
        self._known = None if names is None else set(names)
        for n in self._known or ():
            self[n] = Stream(inv, n)

    def __missing__(self, name: str) -> Stream:
        if self._known is not None:
            raise KeyError(name)
        stream = self[name] = Stream(self._inv, name)
        return stream

    def __getattr__(self, name: str) -> Stream:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            known = ", ".join(sorted(self._known or ())) or "none"
            raise AttributeError(f"context.streams has no stream {name!r}; the project's streams are: {known}") from None


class Context:
    def __init__(self, inv: "Invocation", stream_names: Optional[Iterable[str]] = None) -> None:
        self._inv = inv
        self.trace_id = inv.trace_id
        self.flows = inv.flows
        self.step = inv.step
        self.logger = Logger(inv.add_log)
        self.state = State(inv)
        self.streams = Streams(inv, stream_names)

    def emit(self, event: dict) -> Ready:
        """Buffers the event; the Worker delivers it only if the handler succeeds."""
        self._inv.add_emit(event)
        return Ready(None)

    enqueue = emit
