"""Turns Python values into JSON-safe ones: configs (pydantic models and `model_json_schema()`
duck types included), handler results, emitted data and log metadata."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import json
import math
import uuid
from typing import Any

from .errors import NotJsonError


def _schema_of_class(value: type) -> Any:
    """A pydantic v2 model class (`model_json_schema`) or v1 class (`schema` + `__fields__`)."""
    fn = getattr(value, "model_json_schema", None)
    if callable(fn):
        return fn()
    if hasattr(value, "__fields__") and callable(getattr(value, "schema", None)):
        return value.schema()
    return None


def _dump_instance(value: Any) -> Any:
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        try:
            return dump(mode="json", by_alias=True, exclude_none=True)
        except TypeError:
            return dump()
    if hasattr(value, "__fields__") and callable(getattr(value, "dict", None)):
        return value.dict(by_alias=True, exclude_none=True)
    return None


def to_jsonable(value: Any, path: str = "value") -> Any:
    """Converts `value`, or raises NotJsonError naming the offending path (e.g. `config.input`)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NotJsonError(path, f"expected a finite number, found {value!r}")
        return value
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if isinstance(k, enum.Enum):
                k = k.value
            if not isinstance(k, (str, int, float, bool)):
                raise NotJsonError(path, f"expected string keys, found key {k!r}")
            key = k if isinstance(k, str) else json.dumps(k)
            out[key] = to_jsonable(v, f"{path}.{key}")
        return out
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_jsonable(v, f"{path}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, type):
        schema = _schema_of_class(value)
        if schema is not None:
            return to_jsonable(schema, path)
        raise NotJsonError(path, f"expected a JSON value or a model with model_json_schema(), found class {value.__name__}")
    dumped = _dump_instance(value)
    if dumped is not None:
        return to_jsonable(dumped, path)
    if isinstance(value, enum.Enum):
        return to_jsonable(value.value, path)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal,)):
        return to_jsonable(float(value), path)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"type": "Buffer", "data": list(bytes(value))}  # Motia's Buffer shape; the Worker sends it raw
    if dataclasses.is_dataclass(value):
        return to_jsonable(dataclasses.asdict(value), path)
    if callable(value):
        name = getattr(value, "__name__", type(value).__name__)
        raise NotJsonError(path, f"expected a JSON value, found the function {name}(): functions cannot cross to the Worker")
    raise NotJsonError(path, f"expected a JSON value, found {type(value).__name__}")


def dumps(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")


def safe_meta(meta: Any) -> Any:
    """Log metadata never raises: what is not JSON becomes its repr."""
    try:
        return to_jsonable(meta, "meta")
    except (NotJsonError, RecursionError):
        return repr(meta)
