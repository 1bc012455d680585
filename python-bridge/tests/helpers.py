"""Test helpers: throwaway projects, a runner on a background thread, and a fake Worker that
verifies callbacks the way PROTOCOL.md says the real one does."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import os
import shutil
import sys
import tempfile
import textwrap
import threading
import time
import unittest
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from stepflare_runner.auth import sign_invoke
from stepflare_runner.server import serve

SECRET = "test-secret-0123456789abcdef"


def purge_project_modules() -> None:
    for name in list(sys.modules):
        if name.split(".")[0] in ("steps", "src"):
            del sys.modules[name]


def make_project(files: dict) -> str:
    root = tempfile.mkdtemp(prefix="stepflare-py-")
    for rel, text in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(textwrap.dedent(text))
    return root


def remove_project(root: str) -> None:
    if root in sys.path:
        sys.path.remove(root)
    purge_project_modules()
    shutil.rmtree(root, ignore_errors=True)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def issue_token(secret: str, invocation_id: str, step: str, trace_id: str, timeout_ms: int = 10_000, now_ms: int | None = None) -> str:
    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    claims = b64url(json.dumps({"v": 1, "inv": invocation_id, "step": step, "trace": trace_id, "exp": now_ms + timeout_ms + 30_000}, separators=(",", ":")).encode())
    mac = hmac.new(secret.encode(), f"stepflare.token.v1.{claims}".encode(), hashlib.sha256).digest()
    return f"{claims}.{b64url(mac)}"


class RunnerThread:
    """`serve()` on its own event loop in a daemon thread, on an ephemeral port."""

    def __init__(self, root: str, threads: int = 8) -> None:
        self.root = root
        self.threads = threads
        self.port = 0
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        async def main() -> None:
            self._loop = asyncio.get_running_loop()
            ready = self._loop.create_future()
            ready.add_done_callback(lambda f: (setattr(self, "port", f.result()[1]), self._ready.set()))
            self._task = asyncio.ensure_future(serve(self.root, port=0, threads=self.threads, ready=ready, quiet=True, secret=SECRET))
            try:
                await self._task
            except asyncio.CancelledError:
                pass

        asyncio.run(main())

    def __enter__(self) -> "RunnerThread":
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("runner did not start")
        return self

    def __exit__(self, *exc) -> None:
        if self._loop and self._task:
            self._loop.call_soon_threadsafe(self._task.cancel)
        self._thread.join(5)

    def request(self, method: str, path: str, body: dict | None = None, signature: str | None = None) -> tuple[int, dict]:
        """Requests with a body are signed with the test secret, unless `signature` says otherwise ("" for none)."""
        data = None if body is None else json.dumps(body).encode()
        headers = {"content-type": "application/json"}
        sig = sign_invoke(SECRET, data) if data is not None and signature is None else signature
        if sig:
            headers["x-stepflare-signature"] = sig
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as res:
                return res.status, json.loads(res.read())
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read())

    def invoke(self, step: str, file: str, kind: str = "event", input=None, timeout_ms: int = 10_000, worker: "FakeWorker | None" = None, **extra) -> dict:
        inv = extra.pop("invocationId", f"inv-{time.monotonic_ns()}")
        trace = extra.pop("traceId", "ABCDE-1234567")
        req = {
            "invocationId": inv, "step": step, "file": file, "kind": kind, "input": input, "traceId": trace, "flows": ["f"],
            "callbackUrl": worker.url if worker else "http://127.0.0.1:9/unused",
            "token": extra.pop("token", None) or issue_token(SECRET, inv, step, trace, timeout_ms),
            "timeoutMs": timeout_ms, **extra,
        }
        status, body = self.request("POST", "/invoke", req)
        assert status == 200, (status, body)
        return body


class RunnerCase(unittest.TestCase):
    """A test class whose `STEPS` project is served by one runner for all its tests."""

    STEPS: dict = {}

    @classmethod
    def setUpClass(cls):
        cls.root = make_project(cls.STEPS)
        cls.runner = RunnerThread(cls.root).__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.runner.__exit__(None, None, None)
        remove_project(cls.root)


class FakeWorker:
    """Verifies signature, claims, expiry and replay; executes state/stream ops on dicts."""

    def __init__(self, secret: str = SECRET) -> None:
        self.secret = secret
        self.state: dict = {}
        self.streams: dict = {}
        self.seen: set = set()
        self.refusals: list = []
        self.ops: list = []
        worker = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("content-length", 0)))
                status, payload = worker.handle(raw, self.headers.get("x-stepflare-claims", ""), self.headers.get("x-stepflare-signature", ""))
                out = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/__stepflare/python/callback"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def refuse(self, status: int, code: str, message: str) -> tuple[int, dict]:
        self.refusals.append(code)
        return status, {"ok": False, "error": {"name": "CallbackRefusedError", "code": code, "message": message}}

    def handle(self, raw: bytes, claims_part: str, signature: str) -> tuple[int, dict]:
        try:
            claims = json.loads(base64.urlsafe_b64decode(claims_part + "=" * (-len(claims_part) % 4)))
        except ValueError:
            return self.refuse(401, "BAD_TOKEN", "unreadable claims")
        mac = hmac.new(self.secret.encode(), f"stepflare.token.v1.{claims_part}".encode(), hashlib.sha256).digest()
        key = hmac.new(f"{claims_part}.{b64url(mac)}".encode(), b"stepflare.callback.v1", hashlib.sha256).digest()
        expected = "v1=" + hmac.new(key, raw, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, signature):
            return self.refuse(401, "BAD_SIGNATURE", "signature does not match")
        if claims["exp"] < time.time() * 1000:
            return self.refuse(401, "TOKEN_EXPIRED", "token expired")
        body = json.loads(raw)
        if not isinstance(body, dict) or not {"invocationId", "seq", "op", "args", "step", "traceId"} <= set(body):
            return self.refuse(400, "MALFORMED", "not a callback body")
        if (body["invocationId"], body["step"], body["traceId"]) != (claims["inv"], claims["step"], claims["trace"]):
            return self.refuse(403, "TOKEN_MISMATCH", "token issued for another invocation, step or trace")
        if (body["invocationId"], body["seq"]) in self.seen:
            return self.refuse(409, "REPLAYED", f"seq {body['seq']} already used")
        self.seen.add((body["invocationId"], body["seq"]))
        self.ops.append(body["op"])
        return 200, {"ok": True, "result": self.execute(body["op"], body["args"])}

    def execute(self, op: str, args: list):
        kind, _, name = op.partition(".")
        if kind == "state":
            if name == "get":
                return self.state.get(args[0], {}).get(args[1])
            if name == "set":
                self.state.setdefault(args[0], {})[args[1]] = args[2]
                return args[2]
            if name == "delete":
                return self.state.get(args[0], {}).pop(args[1], None)
            if name in ("getGroup", "list"):
                return list(self.state.get(args[0], {}).values())
            if name == "clear":
                self.state.pop(args[0], None)
                return None
            if name == "listGroups":
                return sorted(self.state)
            if name == "update":
                old = self.state.get(args[0], {}).get(args[1])
                new = (old or 0) + sum(o.get("by", 1) for o in args[2] if o["type"] == "increment")
                self.state.setdefault(args[0], {})[args[1]] = new
                return {"old_value": old, "new_value": new}
        if kind == "streams":
            groups = self.streams.setdefault(args[0], {})
            if name == "set":
                item = {**args[3], "id": args[2]}
                groups.setdefault(args[1], {})[args[2]] = item
                return item
            if name == "get":
                return groups.get(args[1], {}).get(args[2])
            if name == "getGroup":
                return list(groups.get(args[1], {}).values())
            if name == "delete":
                return groups.get(args[1], {}).pop(args[2], None)
            if name == "send":
                return None
        raise ValueError(op)
