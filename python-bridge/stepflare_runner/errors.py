"""Named errors of the runner, and the traceback text that goes back to the Worker."""

from __future__ import annotations

import importlib
import os
import traceback
from typing import Any, Dict

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
_IMPORTLIB_DIR = os.path.dirname(importlib.__file__)


class RunnerError(Exception):
    """Base class: `code` is stable and travels to the Worker with the message."""

    code = "PYTHON_RUNNER_ERROR"


class ProtocolError(RunnerError):
    """An /invoke request that does not follow PROTOCOL.md."""

    code = "PROTOCOL_ERROR"


class StepNotFoundError(RunnerError):
    code = "STEP_NOT_FOUND"


class StepLoadError(RunnerError):
    """The step's module failed to import; `stack` is the import traceback."""

    code = "STEP_LOAD_FAILED"

    def __init__(self, message: str, stack: str = "") -> None:
        super().__init__(message)
        self.stack = stack


class HandlerTimeoutError(RunnerError):
    code = "HANDLER_TIMEOUT"


class InvocationEndedError(RunnerError):
    """A state or stream call made after the invocation ended (a timed-out handler still running)."""

    code = "INVOCATION_ENDED"


class NotJsonError(TypeError):
    """A value that cannot cross to the Worker as JSON; `path` names where it was found."""

    code = "NOT_JSON"

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


class CallbackError(RunnerError):
    """The Worker refused or failed a state/stream callback; `name` and `code` are the Worker's."""

    code = "CALLBACK_FAILED"

    def __init__(self, message: str, *, name: str = "CallbackError", code: str | None = None, status: int = 0) -> None:
        super().__init__(message)
        self.name = name
        self.status = status
        if code:
            self.code = code


class SyncCallbackError(RunnerError):
    """A plain `def handler` made a state or stream call where there are no threads to block in
    (the Workers Python target)."""

    code = "SYNC_CALLBACK"


def format_traceback(err: BaseException) -> str:
    """The traceback text without the runner's and the import system's frames, so it starts at
    the user's code."""
    te = traceback.TracebackException.from_exception(err)
    te.stack = traceback.StackSummary.from_list([f for f in te.stack if not _internal(f.filename)])
    return "".join(te.format())


def _internal(filename: str) -> bool:
    return filename.startswith((_PACKAGE_DIR, _IMPORTLIB_DIR, "<frozen importlib"))


def serialize_error(err: BaseException) -> Dict[str, Any]:
    out: Dict[str, Any] = {"name": type(err).__name__, "message": str(err), "stack": getattr(err, "stack", "") or format_traceback(err)}
    code = getattr(err, "code", None)
    if isinstance(code, str):
        out["code"] = code
    return out
