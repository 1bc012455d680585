"""One handler run: builds the context, runs the handler (async ones on the event loop, sync ones
in a thread pool) under the invocation's timeout, and returns what it did.

Without pools (the Workers Python target: Pyodide has no threads) sync handlers run on the loop,
callbacks go through the async poster, and a sync handler cannot make state or stream calls."""

from __future__ import annotations

import asyncio
import contextvars
import functools
import inspect
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, List, Optional

from .callbacks import AsyncPoster, CallbackClient
from .context import Context
from .errors import HandlerTimeoutError, InvocationEndedError, SyncCallbackError, serialize_error
from .jsonable import to_jsonable

MAX_LOGS = 200
STATE_KEYED = {"state.get", "state.set", "state.delete", "state.update"}


class Pending:
    """A state/stream call already running as a task. Awaiting it gives the result; not awaiting
    it is allowed (Motia schedules such calls in the background): the invocation waits for it."""

    def __init__(self, task: "asyncio.Task[Any]") -> None:
        self.task = task
        self.awaited = False

    def __await__(self):
        self.awaited = True
        return self.task.__await__()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.task, name)


def is_async(fn: Any) -> bool:
    return inspect.iscoroutinefunction(fn) or inspect.iscoroutinefunction(getattr(fn, "__call__", None))


class Invocation:
    def __init__(
        self,
        req: dict,
        handler: Callable,
        *,
        middleware: Optional[list] = None,
        cpu_pool: Optional[ThreadPoolExecutor],
        io_pool: Optional[ThreadPoolExecutor],
        poster: Optional[AsyncPoster] = None,
    ) -> None:
        self.id: str = req["invocationId"]
        self.step: str = req["step"]
        self.kind: str = req["kind"]
        self.trace_id: str = req["traceId"]
        self.flows: List[str] = list(req.get("flows") or [])
        self.input = req.get("input")
        self.timeout_s: float = req["timeoutMs"] / 1000
        self.handler = handler
        self.middleware = middleware or []
        self.cpu_pool = cpu_pool
        self.io_pool = io_pool
        self.client = CallbackClient(req["callbackUrl"], req["token"], self.id, self.step, self.trace_id, timeout_s=min(max(self.timeout_s, 5.0), 60.0), poster=poster)
        self.inline_sync = False  # a sync handler running on the loop (no thread pool)
        self.emits: List[dict] = []
        self.logs: List[dict] = []
        self.state_ops: List[dict] = []
        self.pending: List[Pending] = []
        self.dropped_logs = 0
        self.sealed = False
        self.ctx = Context(self, req.get("streams"))

    # -- what the context calls ------------------------------------------------------------
    def json(self, value: Any, path: str) -> Any:
        return to_jsonable(value, path)

    def add_log(self, record: dict) -> None:
        if self.sealed:
            return
        if len(self.logs) < MAX_LOGS:
            self.logs.append(record)
        else:
            self.dropped_logs += 1

    def add_emit(self, event: Any) -> None:
        if not isinstance(event, dict) or not isinstance(event.get("topic"), str) or not event["topic"]:
            raise TypeError(f"emit: expected {{'topic': str, 'data': ...}}, found {event!r}")
        if self.sealed:
            self.ctx.logger.warn("emit after the attempt ended is dropped", {"topic": event["topic"]})
            return
        out = {"topic": event["topic"], "data": to_jsonable(event.get("data"), f"emit {event['topic']!r} data")}
        group = event.get("messageGroupId")
        if group is not None:
            if not isinstance(group, str):
                raise TypeError(f"emit: expected messageGroupId to be a string, found {group!r}")
            out["messageGroupId"] = group
        self.emits.append(out)

    def call(self, op: str, args: list, transform: Optional[Callable[[Any], Any]] = None) -> Any:
        """Sends a callback. In the event loop it returns an awaitable Pending (already running);
        in a worker thread (a sync handler) it blocks and returns the value."""
        if self.sealed:
            raise InvocationEndedError(f"{op}: the invocation already ended (it timed out or returned); the call was not sent")
        if self.inline_sync:
            raise SyncCallbackError(
                f"{op}: a plain `def handler` cannot call state or streams on the Workers Python target (Pyodide has no threads); make it `async def` and await the call"
            )
        if op.startswith("state."):
            rec = {"op": op[6:], "at": int(time.time() * 1000)}
            if args:
                rec["group"] = args[0]
            if op in STATE_KEYED:
                rec["key"] = args[1]
            self.state_ops.append(rec)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            value = self.client.call(op, args)
            return transform(value) if transform else value

        async def send() -> Any:
            if self.client.poster is not None:
                value = await self.client.acall(op, args)
            else:
                value = await loop.run_in_executor(self.io_pool, self.client.call, op, args)
            return transform(value) if transform else value

        pending = Pending(loop.create_task(send()))
        pending.task.add_done_callback(_consume)
        self.pending.append(pending)
        return pending

    # -- running -------------------------------------------------------------------------
    async def _call_handler(self) -> Any:
        loop = asyncio.get_running_loop()
        args = (self.ctx,) if self.kind == "cron" else (self.input, self.ctx)

        async def final() -> Any:
            if is_async(self.handler):
                return await self.handler(*args)
            if self.cpu_pool is None:
                self.inline_sync = True
                try:
                    result = self.handler(*args)
                finally:
                    self.inline_sync = False
                return await result if inspect.isawaitable(result) else result
            call = functools.partial(contextvars.copy_context().run, self.handler, *args)
            result = await loop.run_in_executor(self.cpu_pool, call)
            return await result if inspect.isawaitable(result) else result

        async def chain(i: int) -> Any:
            if i >= len(self.middleware):
                return await final()
            result = self.middleware[i](self.input, self.ctx, lambda: chain(i + 1))
            return await result if inspect.isawaitable(result) else result

        result = await chain(0)
        await self._drain()
        return result

    async def _drain(self) -> None:
        """Waits for state/stream calls the handler did not await; logs those that failed."""
        while True:
            waiting = [p for p in self.pending if not p.task.done()]
            if not waiting:
                break
            await asyncio.gather(*(p.task for p in waiting), return_exceptions=True)
        for p in self.pending:
            if not p.awaited and not p.task.cancelled() and p.task.exception() is not None:
                self.ctx.logger.error("a state or stream call that was not awaited failed", {"error": serialize_error(p.task.exception())})

    async def run(self) -> dict:
        started = time.monotonic()
        task = asyncio.ensure_future(self._call_handler())
        done, _ = await asyncio.wait({task}, timeout=self.timeout_s)
        try:
            if not done:
                task.cancel()
                for p in self.pending:
                    p.task.cancel()
                task.add_done_callback(_consume)
                raise HandlerTimeoutError(f"handler exceeded its timeout of {self.timeout_s:g} s")
            result = to_jsonable(task.result(), "result")
        except (Exception, SystemExit, asyncio.CancelledError) as err:
            self.sealed = True
            return {"ok": False, "error": serialize_error(err), **self._trail(started)}
        self.sealed = True
        return {"ok": True, "result": result, "emits": self.emits, **self._trail(started)}

    def _trail(self, started: float) -> dict:
        out = {"logs": self.logs, "stateOps": self.state_ops, "durationMs": round((time.monotonic() - started) * 1000, 3)}
        if self.dropped_logs:
            out["droppedLogs"] = self.dropped_logs
        return out


def _consume(task: "asyncio.Future[Any]") -> None:
    """Marks a task's exception as retrieved, so asyncio does not print it at shutdown."""
    if not task.cancelled():
        task.exception()
