"""The REST-JSON wire format, driven by the operation model.

Requests: members come from the URI labels, the query string, headers and the JSON body, as
each member's ``location`` says; scalars from the URI, query and headers are converted to the
member's type (or left as text, for validation to report). Responses: the output shape's members
are written to headers or the JSON body, with timestamps in the model's format (epoch seconds by
default for rest-json); errors carry ``x-amzn-ErrorType`` and a JSON ``message``.

Special floats: restJson1 sends NaN and infinities of float/double members as the strings ``"NaN"``,
``"Infinity"`` and ``"-Infinity"``; they are read as floats (validation then refuses them where a
finite number is needed) and written the same way. Bare ``NaN``/``Infinity`` tokens are not JSON:
a request body with one is refused, and no response ever contains one.
"""

from __future__ import annotations

import datetime
import email.utils
import json
import math
import re
from collections.abc import Mapping
from typing import Any

from botocore.model import ListShape, MapShape, OperationModel, Shape, StructureShape

from pulumi_outposts_orders.aws.model import service_model
from pulumi_outposts_orders.emulator.errors import ApiError, validation

Params = dict[str, Any]
JSON_TYPE = "application/json"
_INTEGER = re.compile(r"-?\d+")
_NUMBER = re.compile(r"-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?")
SPECIAL_FLOATS = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}
"""restJson1's string forms of the floats JSON cannot write."""
_FLOATS = ("float", "double")


def parse_request(operation: OperationModel, labels: Mapping[str, str], query: Mapping[str, list[str]],
                  headers: Mapping[str, str], body: bytes) -> Params:
    """The operation's input members, from where the model says each one travels (lower-case headers)."""
    shape = operation.input_shape
    params: Params = {}
    located: set[str] = set()
    for name, member in (shape.members.items() if shape else []):
        location, wire = member.serialization.get("location"), member.serialization.get("name", name)
        if location:
            located.add(name)
        if location == "uri" and wire in labels:
            params[name] = _scalar(member, labels[wire])
        elif location == "querystring" and wire in query:
            values = query[wire]
            params[name] = [_scalar(member.member, v) for v in values] if isinstance(member, ListShape) \
                else _scalar(member, values[-1])
        elif location == "header" and wire.lower() in headers:
            params[name] = _scalar(member, headers[wire.lower()])
    if shape is not None:
        params.update({k: _special_floats(shape.members[k], v) if k in shape.members else v
                       for k, v in _json_body(body).items() if k not in located})
    return params


def response_body(operation: OperationModel, result: Params) -> tuple[dict[str, str], bytes]:
    """Headers and JSON body of a successful response."""
    shape = operation.output_shape
    headers: dict[str, str] = {"Content-Type": JSON_TYPE}
    body: Params = {}
    for name, member in (shape.members.items() if shape else []):
        if result.get(name) is None:
            continue
        location, wire = member.serialization.get("location"), member.serialization.get("name", name)
        if location == "header":
            headers[wire] = str(_value(member, result[name]))
        elif location is None:
            body[wire] = _value(member, result[name])
    return headers, json.dumps(body, allow_nan=False).encode()


def error_body(error: ApiError) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and JSON body of an error response."""
    headers = {"Content-Type": JSON_TYPE, "x-amzn-ErrorType": error.code}
    return error.status, headers, json.dumps({"message": error.message, **error.fields}, allow_nan=False).encode()


def _json_body(body: bytes) -> Params:
    if not body.strip():
        return {}
    try:
        parsed = json.loads(body, parse_constant=_not_json)
    except ValueError as exc:
        raise validation(f"The request body is not valid JSON: {exc}") from exc
    if not isinstance(parsed, dict):
        raise validation("The request body must be a JSON object")
    return parsed


def _not_json(token: str) -> Any:
    raise ValueError(f"{token} is not a JSON value (restJson1 sends it as the string \"{token}\")")


def _special_floats(shape: Shape, value: Any) -> Any:
    """``value`` from a JSON body, with restJson1's special-float strings read as floats."""
    if isinstance(shape, StructureShape) and isinstance(value, dict):
        return {k: _special_floats(shape.members[k], v) if k in shape.members else v for k, v in value.items()}
    if isinstance(shape, ListShape) and isinstance(value, list):
        return [_special_floats(shape.member, v) for v in value]
    if isinstance(shape, MapShape) and isinstance(value, dict):
        return {k: _special_floats(shape.value, v) for k, v in value.items()}
    if shape.type_name in _FLOATS and isinstance(value, str) and value in SPECIAL_FLOATS:
        return SPECIAL_FLOATS[value]
    return value


def _scalar(shape: Shape, text: str) -> Any:
    kind = shape.type_name
    if kind in ("integer", "long") and _INTEGER.fullmatch(text):
        return int(text)
    if kind in _FLOATS:
        if text in SPECIAL_FLOATS:
            return SPECIAL_FLOATS[text]
        return float(text) if _NUMBER.fullmatch(text) else text
    if kind == "boolean" and text in ("true", "false"):
        return text == "true"
    return text


def _value(shape: Shape, value: Any) -> Any:
    """``value`` in wire form for ``shape``; members the shape lacks are left out."""
    if isinstance(shape, StructureShape):
        return {m.serialization.get("name", n): _value(m, value[n])
                for n, m in shape.members.items() if value.get(n) is not None}
    if isinstance(shape, ListShape):
        return [_value(shape.member, v) for v in value]
    if isinstance(shape, MapShape):
        return {k: _value(shape.value, v) for k, v in value.items()}
    if shape.type_name == "timestamp":
        return _timestamp(shape, float(value))
    if shape.type_name in _FLOATS and isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    return value


def _timestamp(shape: Shape, epoch: float) -> Any:
    fmt = shape.serialization.get("timestampFormat") or service_model().metadata.get("timestampFormat")
    if fmt == "iso8601":
        return datetime.datetime.fromtimestamp(epoch, datetime.UTC).isoformat().replace("+00:00", "Z")
    if fmt == "rfc822":
        return email.utils.formatdate(epoch, usegmt=True)
    return round(epoch, 3)
