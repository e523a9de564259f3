"""The REST-JSON wire format, driven by the operation model.

Requests: members come from the URI labels, the query string, headers and the JSON body, as
each member's ``location`` says; scalars from the URI, query and headers are converted to the
member's type (or left as text, for validation to report). Responses: the output shape's members
are written to headers or the JSON body, with timestamps in the model's format (epoch seconds by
default for rest-json); errors carry ``x-amzn-ErrorType`` and a JSON ``message``.
"""

from __future__ import annotations

import datetime
import email.utils
import json
import re
from collections.abc import Mapping
from typing import Any

from botocore.model import ListShape, MapShape, OperationModel, Shape, StructureShape

from .._model import service_model
from .errors import ApiError, validation

Params = dict[str, Any]
JSON_TYPE = "application/json"
_INTEGER = re.compile(r"-?\d+")


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
    params.update({k: v for k, v in _json_body(body).items() if k not in located})
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
    return headers, json.dumps(body).encode()


def error_body(error: ApiError) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and JSON body of an error response."""
    headers = {"Content-Type": JSON_TYPE, "x-amzn-ErrorType": error.code}
    return error.status, headers, json.dumps({"message": error.message, **error.fields}).encode()


def _json_body(body: bytes) -> Params:
    if not body.strip():
        return {}
    try:
        parsed = json.loads(body)
    except ValueError as exc:
        raise validation(f"The request body is not valid JSON: {exc}") from exc
    if not isinstance(parsed, dict):
        raise validation("The request body must be a JSON object")
    return parsed


def _scalar(shape: Shape, text: str) -> Any:
    kind = shape.type_name
    if kind in ("integer", "long") and _INTEGER.fullmatch(text):
        return int(text)
    if kind in ("float", "double"):
        try:
            return float(text)
        except ValueError:
            return text
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
    return value


def _timestamp(shape: Shape, epoch: float) -> Any:
    fmt = shape.serialization.get("timestampFormat") or service_model().metadata.get("timestampFormat")
    if fmt == "iso8601":
        return datetime.datetime.fromtimestamp(epoch, datetime.UTC).isoformat().replace("+00:00", "Z")
    if fmt == "rfc822":
        return email.utils.formatdate(epoch, usegmt=True)
    return round(epoch, 3)
