"""`python3 -m stepflare_runner configs <root>` prints the Python steps' configs as JSON;
`python3 -m stepflare_runner serve <root> --port P [--host H]` runs the HTTP runner."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import sys

from . import PROTOCOL_VERSION
from .loader import load_project


def configs(root: str) -> int:
    out = sys.stdout
    # Step modules may print while they import: keep stdout for the JSON only.
    with contextlib.redirect_stdout(sys.stderr):
        project = load_project(root)
    doc = {
        "protocol": PROTOCOL_VERSION,
        "python": platform.python_version(),
        "root": project.root,
        "steps": [s.describe() for s in project.steps],
        "streams": [s.describe() for s in project.streams],
        "errors": [p.describe() for p in project.problems],
    }
    out.write(json.dumps(doc, ensure_ascii=False, allow_nan=False))
    out.write("\n")
    out.flush()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m stepflare_runner", description="stepflare's Python step runner")
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("configs", help="print every Python step's config as JSON")
    c.add_argument("root")
    s = sub.add_parser("serve", help="serve POST /invoke and GET /health")
    s.add_argument("root")
    s.add_argument("--port", type=int, default=8080)
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--parent-pipe", action="store_true", help="stop when stdin closes (the parent process ended)")
    s.add_argument("--threads", type=int, default=int(os.environ.get("STEPFLARE_PYTHON_THREADS", "32")), help="thread pool for sync handlers")
    args = parser.parse_args(argv)
    root = os.path.abspath(args.root)
    if not os.path.isdir(root):
        print(f"stepflare_runner: project root {root} is not a directory", file=sys.stderr)
        return 2
    os.chdir(root)  # relative paths in step code resolve as they did under Motia
    if args.command == "configs":
        return configs(root)
    from .auth import SECRET_ENV, SecretMissingError
    from .server import serve

    # Read once and removed, so step code and the processes it starts do not inherit it.
    secret = os.environ.pop(SECRET_ENV, None)
    try:
        asyncio.run(serve(root, args.host, args.port, args.threads, parent_pipe=args.parent_pipe, secret=secret))
    except SecretMissingError as err:
        print(f"stepflare_runner: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    # Step modules may have started threads at import time: do not wait for them.
    os._exit(code)
