"""Imports the project's Python step and stream modules and reads their `config` (as JSON) and
`handler`. Import failures become problems carrying the file and the Python traceback."""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional

from .discovery import StepFile, classify, discover, importable, module_name
from .errors import NotJsonError, format_traceback
from .jsonable import to_jsonable


@dataclass
class LoadedStep:
    file: str
    module: str
    kind: str  # "step" or "stream"
    config: Dict[str, Any]  # JSON-safe, as the user wrote it (minus middleware functions)
    handler: Optional[Callable] = None
    middleware: List[Callable] = field(default_factory=list)

    @property
    def name(self) -> Any:
        return self.config.get("name")

    def describe(self) -> dict:
        out: Dict[str, Any] = {"file": self.file, "module": self.module, "config": self.config}
        if self.middleware:
            out["middleware"] = [getattr(m, "__name__", type(m).__name__) for m in self.middleware]
        return out


@dataclass
class Problem:
    file: str
    module: str
    field: str
    message: str
    traceback: str = ""

    def describe(self) -> dict:
        out = {"file": self.file, "module": self.module, "field": self.field, "message": self.message}
        if self.traceback:
            out["traceback"] = self.traceback
        return out


@dataclass
class Project:
    root: str
    steps: List[LoadedStep]
    streams: List[LoadedStep]
    problems: List[Problem]


def add_root_to_path(root: str) -> None:
    root = os.path.abspath(root)
    if root in sys.path:
        sys.path.remove(root)
    sys.path.insert(0, root)


def install_motia_shim() -> None:
    """`from motia import FlowContext` works without the motia package: names resolve to Any
    (0.x step files import types from it for annotations only)."""
    if "motia" in sys.modules or importlib.util.find_spec("motia") is not None:
        return
    shim = types.ModuleType("motia", "stepflare's stand-in for Motia's Python type names")
    shim.__getattr__ = lambda name: typing.Any  # type: ignore[attr-defined]
    sys.modules["motia"] = shim


def import_file(sf: StepFile) -> types.ModuleType:
    if sf.module in sys.modules:
        return sys.modules[sf.module]
    if importable(sf.module):
        return importlib.import_module(sf.module)
    # A folder with a dash or a dot in its name: load from the file, as Motia did.
    spec = importlib.util.spec_from_file_location(sf.module, sf.path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {sf.file}")
    module = importlib.util.module_from_spec(spec)
    module.__package__ = sf.module.rpartition(".")[0]
    sys.modules[sf.module] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(sf.module, None)
        raise
    return module


def _config_dict(raw: Any) -> Any:
    if isinstance(raw, dict):
        return dict(raw)
    dump = getattr(raw, "model_dump", None)
    if callable(dump):  # a pydantic model used as the config
        try:
            return dump(by_alias=True, exclude_none=True)
        except TypeError:
            return dump()
    return raw


def load_file(sf: StepFile) -> tuple[Optional[LoadedStep], List[Problem]]:
    def problem(fld: str, message: str, tb: str = "") -> Problem:
        return Problem(sf.file, sf.module, fld, message, tb)

    try:
        module = import_file(sf)
    except (Exception, SystemExit) as err:
        return None, [problem("module", f"import failed: {type(err).__name__}: {err}", format_traceback(err))]
    raw = getattr(module, "config", None)
    if raw is None:
        return None, [problem("config", "expected a module-level `config` dict, found nothing")]
    config = _config_dict(raw)
    if not isinstance(config, dict):
        return None, [problem("config", f"expected a dict, found {type(raw).__name__}")]
    middleware = config.pop("middleware", None) or []
    problems: List[Problem] = []
    if not isinstance(middleware, (list, tuple)) or not all(callable(m) for m in middleware):
        problems.append(problem("config.middleware", f"expected a list of functions, found {middleware!r}"))
        middleware = []
    try:
        config = to_jsonable(config, "config")
    except NotJsonError as err:
        return None, [problem(err.path, str(err).split(": ", 1)[1])]
    handler = getattr(module, "handler", None)
    if sf.kind == "step" and config.get("type") != "noop" and not callable(handler):
        problems.append(problem("handler", f"expected a function `handler`, found {'nothing' if handler is None else type(handler).__name__}"))
    if problems:
        return None, problems
    return LoadedStep(sf.file, sf.module, sf.kind, config, handler if callable(handler) else None, list(middleware)), []


def load_project(root: str) -> Project:
    root = os.path.abspath(root)
    add_root_to_path(root)
    install_motia_shim()
    steps: List[LoadedStep] = []
    streams: List[LoadedStep] = []
    problems: List[Problem] = []
    for sf in discover(root):
        loaded, found = load_file(sf)
        problems.extend(found)
        if loaded:
            (steps if sf.kind == "step" else streams).append(loaded)
    return Project(root, steps, streams, problems)


def load_files(files: List[str], root: str = ".") -> Project:
    """Loads an explicit list of files (relative paths) instead of walking the folders: what a
    bundle without a real file tree (the Workers Python target) uses."""
    install_motia_shim()
    steps: List[LoadedStep] = []
    streams: List[LoadedStep] = []
    problems: List[Problem] = []
    for rel in files:
        kind = classify(rel.rsplit("/", 1)[-1]) or "step"
        loaded, found = load_file(StepFile(file=rel, path=os.path.join(root, rel), module=module_name(rel), kind=kind))
        problems.extend(found)
        if loaded:
            (steps if kind == "step" else streams).append(loaded)
    return Project(root, steps, streams, problems)
