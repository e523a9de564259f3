"""Validation rules read from botocore's Outposts service model.

One generic walker over botocore shapes, shared by the local emulator (server-side validation)
and the Pulumi provider's ``check``. Nothing here is written per field: required members,
patterns, enums, lengths, list sizes, numeric ranges and types all come from the model.

Numbers are also checked against their wire types, which the model states only as type names:
``integer`` is a 32-bit and ``long`` a 64-bit signed integer, ``float`` a 32-bit and ``double`` a
64-bit IEEE float. A value outside its wire type would be mangled by a client in another language
(2147483648 read back as -2147483648), so it is refused like any other range violation. Floats must
also be finite: restJson1 lets ``NaN`` and ``Infinity`` travel (as the strings ``"NaN"``,
``"Infinity"``, ``"-Infinity"``), but every float input of this API is a quantity.

Patterns are applied the way the service applies them (Smithy semantics: a pattern is searched,
not implicitly anchored; the model anchors most of them with ``^...$``), with ASCII classes and
``$`` meaning the very end of the string.
"""

from __future__ import annotations

import datetime
import math
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import botocore.session
from botocore.model import ListShape, MapShape, ServiceModel, Shape, StructureShape

SERVICE_NAME = "outposts"


@dataclass(frozen=True)
class Violation:
    """One broken rule: where (member path), which rule, and a message naming both."""

    path: str
    rule: str
    message: str


@cache
def service_model() -> ServiceModel:
    """The Outposts service model shipped with botocore (no credentials or region needed)."""
    return botocore.session.get_session().get_service_model(SERVICE_NAME)


def validate_input(operation: str, params: Mapping[str, Any]) -> list[Violation]:
    """Every violation of ``operation``'s input shape by ``params`` (empty list when valid)."""
    model = service_model()
    if operation not in model.operation_names:
        raise ValueError(f"{operation} is not an operation of the {SERVICE_NAME} service model")
    shape = model.operation_model(operation).input_shape
    if shape is None:
        return [_unknown(_join("", name), "the operation takes no input") for name in params]
    return validate_shape(shape, params, "")


def validate_shape(shape: Shape, value: Any, path: str) -> list[Violation]:
    """Every violation of ``shape`` by ``value``; ``path`` names ``value`` in messages."""
    if isinstance(shape, StructureShape):
        return _structure(shape, value, path)
    if isinstance(shape, ListShape):
        return _list(shape, value, path)
    if isinstance(shape, MapShape):
        return _map(shape, value, path)
    check = _SCALARS.get(shape.type_name)
    return check(shape, value, path) if check else []


def _structure(shape: StructureShape, value: Any, path: str) -> list[Violation]:
    if not isinstance(value, Mapping):
        return [_type(shape, value, path, "an object")]
    found: list[Violation] = []
    for name in shape.required_members:
        if value.get(name) is None:
            member = _join(path, name)
            found.append(Violation(member, "required", f"{member} is required"))
    for name, item in value.items():
        member = _join(path, str(name))
        if name not in shape.members:
            found.append(_unknown(member, f"{shape.name} has no such member"))
        elif item is not None:
            found += validate_shape(shape.members[name], item, member)
    return found


def _list(shape: ListShape, value: Any, path: str) -> list[Violation]:
    if not isinstance(value, list | tuple):
        return [_type(shape, value, path, "a list")]
    found = _bounds(shape, len(value), path, "items")
    for index, item in enumerate(value):
        found += validate_shape(shape.member, item, f"{path}[{index}]")
    return found


def _map(shape: MapShape, value: Any, path: str) -> list[Violation]:
    if not isinstance(value, Mapping):
        return [_type(shape, value, path, "an object")]
    found = _bounds(shape, len(value), path, "items")
    for key, item in value.items():
        found += validate_shape(shape.key, key, f"{path}.{key}" if isinstance(key, str) else path)
        found += validate_shape(shape.value, item, f"{path}.{key}")
    return found


def _string(shape: Shape, value: Any, path: str) -> list[Violation]:
    if not isinstance(value, str):
        return [_type(shape, value, path, "a string")]
    shown = "" if shape.metadata.get("sensitive") else f" (got {value!r})"
    enum: list[str] = list(getattr(shape, "enum", None) or [])
    if enum and value not in enum:
        return [Violation(path, "enum", f"{path} must be one of {', '.join(enum)}{shown}")]
    found = _bounds(shape, len(value), path, "length")
    pattern = shape.metadata.get("pattern")
    if pattern and not _matches(pattern, value):
        found.append(Violation(path, "pattern", f"{path} must match the pattern {pattern}{shown}"))
    return found


_FLOAT32_MAX = 3.4028234663852886e38
WIRE_RANGES: dict[str, tuple[float, float, str]] = {
    "integer": (-(2**31), 2**31 - 1, "a 32-bit integer"),
    "long": (-(2**63), 2**63 - 1, "a 64-bit integer"),
    "float": (-_FLOAT32_MAX, _FLOAT32_MAX, "a 32-bit float"),
    "double": (-sys.float_info.max, sys.float_info.max, "a 64-bit float"),
}
"""Per numeric shape type: the smallest and largest value of its wire type, and its name."""


def _integer(shape: Shape, value: Any, path: str) -> list[Violation]:
    if isinstance(value, bool) or not isinstance(value, int):
        return [_type(shape, value, path, "an integer")]
    return _wire_range(shape, value, path) or _range(shape, value, path)


def _number(shape: Shape, value: Any, path: str) -> list[Violation]:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return [_type(shape, value, path, "a number")]
    if isinstance(value, float) and not math.isfinite(value):
        return [Violation(path, "finite", f"{path} must be a finite number (got {value})")]
    return _wire_range(shape, value, path) or _range(shape, value, path)


def _wire_range(shape: Shape, value: float, path: str) -> list[Violation]:
    low, high, wire = WIRE_RANGES[shape.type_name]
    if value > high:
        return [Violation(path, "range", f"{path} must be <= {high!r}: it travels as {wire} (got {value!r})")]
    if value < low:
        return [Violation(path, "range", f"{path} must be >= {low!r}: it travels as {wire} (got {value!r})")]
    return []


def _boolean(shape: Shape, value: Any, path: str) -> list[Violation]:
    return [] if isinstance(value, bool) else [_type(shape, value, path, "a boolean")]


def _timestamp(shape: Shape, value: Any, path: str) -> list[Violation]:
    if isinstance(value, datetime.datetime | str | int | float) and not isinstance(value, bool):
        return []
    return [_type(shape, value, path, "a timestamp")]


def _blob(shape: Shape, value: Any, path: str) -> list[Violation]:
    return [] if isinstance(value, bytes | bytearray | str) else [_type(shape, value, path, "binary data")]


_SCALARS = {
    "string": _string,
    "integer": _integer,
    "long": _integer,
    "float": _number,
    "double": _number,
    "boolean": _boolean,
    "timestamp": _timestamp,
    "blob": _blob,
}


def _range(shape: Shape, value: float, path: str) -> list[Violation]:
    found: list[Violation] = []
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low is not None and value < low:
        found.append(Violation(path, "min", f"{path} must be >= {low} (got {value})"))
    if high is not None and value > high:
        found.append(Violation(path, "max", f"{path} must be <= {high} (got {value})"))
    return found


_BOUND_WORDS = {"length": ("characters long", "be"), "items": ("items", "have")}


def _bounds(shape: Shape, size: int, path: str, unit: str) -> list[Violation]:
    """Length (strings, unit "length") or size (lists and maps, unit "items") against min/max."""
    found: list[Violation] = []
    noun, verb = _BOUND_WORDS[unit]
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low is not None and size < low:
        found.append(Violation(path, f"min-{unit}", f"{path} must {verb} at least {low} {noun} (got {size})"))
    if high is not None and size > high:
        found.append(Violation(path, f"max-{unit}", f"{path} must {verb} at most {high} {noun} (got {size})"))
    return found


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    # Python's `$` also matches before a final newline; the service's does not.
    strict = re.sub(r"(?<!\\)\$$", r"\\Z", pattern)
    return re.compile(strict, re.ASCII)


def _matches(pattern: str, value: str) -> bool:
    return _compiled(pattern).search(value) is not None


def _type(shape: Shape, value: Any, path: str, expected: str) -> Violation:
    return Violation(path, "type", f"{path or 'the input'} must be {expected} (got {type(value).__name__})")


def _unknown(path: str, why: str) -> Violation:
    return Violation(path, "unknown", f"{path} is not a known member: {why}")


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name
