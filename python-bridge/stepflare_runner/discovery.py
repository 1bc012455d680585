"""Finds `*_step.py` and `*_stream.py` files under `<root>/steps` and `<root>/src`, recursively,
and names the module each one is imported as (relative to the project root)."""

from __future__ import annotations

import keyword
import os
from dataclasses import dataclass
from typing import List

ROOTS = ("steps", "src")
SKIP_DIRS = {"node_modules", "dist", ".stepflare", ".wrangler", ".git", "__pycache__", "python_modules"}


@dataclass(frozen=True)
class StepFile:
    file: str  # relative to the project root, forward slashes
    path: str  # absolute
    module: str  # dotted module name, e.g. steps.billing.score_order_step
    kind: str  # "step" or "stream"


def classify(name: str) -> str | None:
    """`*_step.py` is a step, `*_stream.py` a stream. `*.step.py` is never loaded: a module name
    cannot contain a dot (the CLI tells the user to rename it)."""
    if name.endswith(".step.py") or name.endswith(".stream.py"):
        return None
    if name.endswith("_step.py"):
        return "step"
    if name.endswith("_stream.py"):
        return "stream"
    return None


def module_name(rel: str) -> str:
    """`steps/billing/score_order_step.py` -> `steps.billing.score_order_step`."""
    without_ext = rel[:-3] if rel.endswith(".py") else rel
    return ".".join(part for part in without_ext.replace("\\", "/").split("/") if part)


def importable(module: str) -> bool:
    """True when every part is a valid identifier, so the regular import system can load it
    (with package-relative imports); other names are loaded from their file location."""
    return all(p.isidentifier() and not keyword.iskeyword(p) for p in module.split("."))


def discover(root: str) -> List[StepFile]:
    root = os.path.abspath(root)
    found: List[StepFile] = []
    for top in ROOTS:
        base = os.path.join(root, top)
        if not os.path.isdir(base):
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
            for name in sorted(filenames):
                kind = classify(name)
                if kind is None:
                    continue
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, root).replace(os.sep, "/")
                found.append(StepFile(file=rel, path=path, module=module_name(rel), kind=kind))
    return sorted(found, key=lambda f: f.file)  # the same order as the TypeScript discovery
