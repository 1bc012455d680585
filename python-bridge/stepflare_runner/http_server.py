"""A small HTTP/1.1 server on asyncio streams: keep-alive, Content-Length and chunked request
bodies, JSON responses. Enough for the Worker's fetch and health checks; nothing more."""

from __future__ import annotations

import asyncio
import json
from typing import Awaitable, Callable, Dict, Tuple

MAX_BODY = 64 * 1024 * 1024
MAX_HEADERS = 100
REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed", 413: "Payload Too Large", 500: "Internal Server Error"}

Handler = Callable[[str, str, Dict[str, str], bytes], Awaitable[Tuple[int, bytes]]]


class BadRequest(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


async def _read_body(reader: asyncio.StreamReader, headers: Dict[str, str]) -> bytes:
    if "chunked" in headers.get("transfer-encoding", "").lower():
        chunks = []
        total = 0
        while True:
            size = int((await reader.readline()).split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(chunks)
            total += size
            if total > MAX_BODY:
                raise BadRequest("request body too large", 413)
            chunks.append(await reader.readexactly(size))
            await reader.readline()
    length = int(headers.get("content-length", "0") or "0")
    if length > MAX_BODY:
        raise BadRequest("request body too large", 413)
    return await reader.readexactly(length) if length else b""


async def _read_request(reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
    line = await reader.readline()
    if not line:
        return None
    parts = line.decode("latin-1").split()
    if len(parts) != 3:
        raise BadRequest(f"malformed request line {line[:80]!r}")
    headers: Dict[str, str] = {}
    for _ in range(MAX_HEADERS + 1):
        raw = await reader.readline()
        if raw in (b"\r\n", b"\n", b""):
            break
        name, _, value = raw.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    else:
        raise BadRequest("too many headers")
    if headers.get("expect", "").lower() == "100-continue":  # curl, for bodies over 1 KB
        writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        await writer.drain()
    return parts[0].upper(), parts[1], parts[2], headers, await _read_body(reader, headers)


def _response(status: int, body: bytes, keep_alive: bool) -> bytes:
    head = (
        f"HTTP/1.1 {status} {REASONS.get(status, 'Status')}\r\n"
        "content-type: application/json; charset=utf-8\r\n"
        f"content-length: {len(body)}\r\n"
        f"connection: {'keep-alive' if keep_alive else 'close'}\r\n\r\n"
    )
    return head.encode("latin-1") + body


def serve_connection(app: Handler) -> Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                try:
                    req = await _read_request(reader, writer)
                except BadRequest as err:
                    writer.write(_response(err.status, json.dumps({"ok": False, "error": {"name": "ProtocolError", "message": str(err)}}).encode(), False))
                    await writer.drain()
                    return
                if req is None:
                    return
                method, target, version, headers, body = req
                status, payload = await app(method, target.split("?", 1)[0], headers, body)
                keep_alive = version == "HTTP/1.1" and headers.get("connection", "").lower() != "close"
                writer.write(_response(status, payload, keep_alive))
                await writer.drain()
                if not keep_alive:
                    return
        except (ConnectionError, asyncio.IncompleteReadError, ValueError):
            return
        except asyncio.CancelledError:
            # The runner is stopping (a restart after a .py change): an idle keep-alive connection
            # ends here, quietly, instead of as a traceback from asyncio's stream callback.
            return
        finally:
            writer.close()

    return handle
