"""`serve`: loads the project once, then answers `GET /health` and `POST /invoke` (PROTOCOL.md)."""

from __future__ import annotations

import asyncio
import json
import os
import platform
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, Optional, Tuple

from . import PROTOCOL_VERSION, __version__
from .auth import InvokeAuth
from .callbacks import AsyncPoster
from .errors import ProtocolError, StepLoadError, StepNotFoundError, serialize_error
from .http_server import serve_connection
from .invocation import Invocation
from .jsonable import dumps
from .loader import LoadedStep, Project, load_project

REQUIRED = {"invocationId": str, "step": str, "file": str, "kind": str, "traceId": str, "callbackUrl": str, "token": str}
KINDS = ("event", "api", "cron")


def check_request(req: Any) -> dict:
    if not isinstance(req, dict):
        raise ProtocolError(f"expected a JSON object, found {type(req).__name__}")
    for name, typ in REQUIRED.items():
        if not isinstance(req.get(name), typ) or req[name] == "":
            raise ProtocolError(f"{name}: expected a non-empty string, found {req.get(name)!r}")
    if req["kind"] not in KINDS:
        raise ProtocolError(f"kind: expected one of {', '.join(KINDS)}, found {req['kind']!r}")
    t = req.get("timeoutMs")
    if isinstance(t, bool) or not isinstance(t, (int, float)) or t <= 0:
        raise ProtocolError(f"timeoutMs: expected a positive number of milliseconds, found {t!r}")
    if req.get("flows") is not None and not isinstance(req["flows"], list):
        raise ProtocolError(f"flows: expected a list of strings, found {req['flows']!r}")
    if req.get("streams") is not None and not isinstance(req["streams"], list):
        raise ProtocolError(f"streams: expected a list of stream names, found {req['streams']!r}")
    return req


class Runner:
    """`threads=0` runs without thread pools and sends callbacks through `poster` (the Workers
    Python target, see workers.py)."""

    def __init__(self, project: Project, *, threads: int = 32, poster: Optional[AsyncPoster] = None, auth: Optional[InvokeAuth] = None) -> None:
        self.project = project
        self.auth = auth
        self.by_file: Dict[str, LoadedStep] = {s.file: s for s in project.steps}
        self.by_module: Dict[str, LoadedStep] = {s.module: s for s in project.steps}
        self.cpu_pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="stepflare-handler") if threads else None
        self.io_pool = ThreadPoolExecutor(max_workers=max(8, threads), thread_name_prefix="stepflare-callback") if threads else None
        self.poster = poster
        self.running: Dict[str, str] = {}  # invocationId -> step
        self.ran: set = set()  # steps started since the loop watcher's last tick
        self.started = time.time()

    def find(self, req: dict) -> LoadedStep:
        step = self.by_file.get(req["file"]) or self.by_module.get(req.get("module") or "")
        if step is None:
            failed = next((p for p in self.project.problems if p.file == req["file"]), None)
            if failed:
                raise StepLoadError(f"{failed.file} could not be loaded ({failed.field}): {failed.message}", failed.traceback)
            raise StepNotFoundError(f"no Python step file {req['file']!r} in {self.project.root}")
        if step.name != req["step"]:
            raise StepNotFoundError(f"{step.file} defines step {step.name!r}, not {req['step']!r} (restart the runner after renaming a step)")
        if step.handler is None:
            raise StepNotFoundError(f"{step.file}: step {step.name!r} has no handler")
        return step

    async def invoke(self, req: dict) -> dict:
        try:
            step = self.find(req)
        except (StepNotFoundError, StepLoadError) as err:
            return {"ok": False, "error": serialize_error(err), "logs": [], "stateOps": []}
        inv = Invocation(
            req, step.handler, middleware=step.middleware if req["kind"] == "api" else None, cpu_pool=self.cpu_pool, io_pool=self.io_pool, poster=self.poster
        )
        self.running[inv.id] = inv.step
        self.ran.add(inv.step)
        try:
            return await inv.run()
        finally:
            self.running.pop(inv.id, None)

    def health(self) -> dict:
        p = self.project
        return {
            "ok": True,
            "protocol": PROTOCOL_VERSION,
            "runner": __version__,
            "python": platform.python_version(),
            "pid": os.getpid(),
            "root": p.root,
            "uptimeMs": int((time.time() - self.started) * 1000),
            "steps": [s.name for s in p.steps],
            "streams": [s.name for s in p.streams],
            "problems": [x.describe() for x in p.problems],
            "running": len(self.running),
        }

    async def route(self, method: str, path: str, headers: Dict[str, str], body: bytes) -> Tuple[int, bytes]:
        if path == "/health":
            return (200, dumps(self.health())) if method in ("GET", "HEAD") else (405, dumps(_err("ProtocolError", "use GET /health")))
        if path != "/invoke":
            return 404, dumps(_err("NotFound", f"no route {method} {path}; the runner serves GET /health and POST /invoke"))
        if method != "POST":
            return 405, dumps(_err("ProtocolError", "use POST /invoke"))
        refusal = self.auth.check_signature(headers, body) if self.auth else None
        if refusal:
            return _refused(refusal)
        try:
            req = check_request(json.loads(body or b"null"))
        except (ValueError, ProtocolError) as err:
            return 400, dumps({"ok": False, "error": serialize_error(err if isinstance(err, ProtocolError) else ProtocolError(f"body is not JSON: {err}"))})
        refusal = self.auth.check_token(req) if self.auth else None
        if refusal:
            return _refused(refusal)
        try:
            return 200, dumps(await self.invoke(req))
        except Exception as err:  # a bug in the runner itself: still answer in protocol shape
            return 500, dumps({"ok": False, "error": serialize_error(err)})


def _err(name: str, message: str) -> dict:
    return {"ok": False, "error": {"name": name, "message": message}}


def _refused(refusal: Tuple[int, str, str]) -> Tuple[int, bytes]:
    status, code, message = refusal
    return status, dumps({"ok": False, "error": {"name": "InvokeRefusedError", "code": code, "message": message}})


async def _watch_loop(runner: Runner, interval: float = 0.25, threshold: float = 1.0) -> None:
    """Warns when an async handler blocks the event loop (CPU work in `async def`)."""
    loop = asyncio.get_running_loop()
    while True:
        before = loop.time()
        await asyncio.sleep(interval)
        lag = loop.time() - before - interval
        suspects, runner.ran = runner.ran | set(runner.running.values()), set()
        if lag > threshold:
            print(json.dumps({"level": "warn", "msg": f"the event loop was blocked for {lag * 1000:.0f} ms: move CPU-bound work to a plain `def handler` or `await asyncio.to_thread(...)`", "steps": sorted(suspects)}), file=sys.stderr, flush=True)


async def serve(
    root: str,
    host: str = "127.0.0.1",
    port: int = 0,
    threads: int = 32,
    ready: Optional[asyncio.Future] = None,
    quiet: bool = False,
    parent_pipe: bool = False,
    *,
    secret: Optional[str],
) -> None:
    """`secret`: the bridge secret every `/invoke` is checked against (auth.py); required."""
    auth = InvokeAuth(secret)
    runner = Runner(load_project(root), threads=threads, auth=auth)
    for p in [] if quiet else runner.project.problems:
        print(json.dumps({"level": "error", "msg": f"{p.file}: {p.field}: {p.message}", "traceback": p.traceback}), file=sys.stderr, flush=True)
    server = await asyncio.start_server(serve_connection(runner.route), host, port)
    bound = server.sockets[0].getsockname()[1]
    if not quiet:
        print(json.dumps({"stepflare": "listening", "host": host, "port": bound, "pid": os.getpid(), "steps": len(runner.project.steps)}), flush=True)
    if ready is not None and not ready.done():
        ready.set_result((runner, bound))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError, ValueError):
            pass  # not the main thread (tests) or not supported
    if parent_pipe:  # the CLI holds our stdin open: when it dies, we stop too
        threading.Thread(target=lambda: (sys.stdin.buffer.read(), loop.call_soon_threadsafe(stop.set)), daemon=True).start()
    watcher = asyncio.ensure_future(_watch_loop(runner))
    try:
        async with server:
            await stop.wait()
    finally:
        watcher.cancel()
        for pool in (runner.cpu_pool, runner.io_pool):
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
