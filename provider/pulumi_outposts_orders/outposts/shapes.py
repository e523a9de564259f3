"""API shapes ↔ the snake_case properties users write and read.

Responses are flattened by walking botocore's shape for them, so every member the model knows
appears under its snake_case name (``None`` when AWS left it out) and timestamps become ISO 8601
UTC strings (``2026-06-15T10:30:00Z``).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from typing import Any

from botocore.model import ListShape, Shape, StructureShape

from pulumi_outposts_orders.aws.model import service_model

_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_API_SEGMENT = re.compile(r"([A-Za-z]+)")


def snake(name: str) -> str:
    """``OrderSubmissionDate`` → ``order_submission_date``."""
    return _BOUNDARY.sub("_", name).lower()


def property_path(api_path: str) -> str:
    """An API member path as the user wrote it: ``LineItems[0].Quantity`` → ``line_items[0].quantity``."""
    return _API_SEGMENT.sub(lambda found: snake(found.group(1)), api_path)


def iso_utc(value: datetime.datetime) -> str:
    """A timestamp as an ISO 8601 UTC string with a ``Z`` suffix."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def flatten(shape: Shape, value: Any) -> Any:
    """``value`` (a boto3 response part of ``shape``) with snake_case keys and ISO timestamps."""
    if isinstance(shape, StructureShape):
        given: Mapping[str, Any] = value if isinstance(value, Mapping) else {}
        return {
            snake(name): None if given.get(name) is None else flatten(member, given[name])
            for name, member in shape.members.items()
        }
    if isinstance(shape, ListShape):
        return [flatten(shape.member, item) for item in value or []]
    if shape.type_name == "timestamp" and isinstance(value, datetime.datetime):
        return iso_utc(value)
    return value


def order_shape() -> StructureShape:
    """The ``Order`` structure returned by CreateOrder and GetOrder."""
    output = service_model().operation_model("GetOrder").output_shape
    assert isinstance(output, StructureShape)
    shape = output.members["Order"]
    assert isinstance(shape, StructureShape)
    return shape


def flatten_order(order: Mapping[str, Any]) -> dict[str, Any]:
    """An ``Order`` response as outputs: ``order_id``, ``status``, ``line_items`` (snake_case dicts)…"""
    flat: dict[str, Any] = flatten(order_shape(), order)
    return flat


def flatten_quote(quote: Mapping[str, Any]) -> dict[str, Any]:
    """A ``Quote`` response in snake_case (``quote_id``, ``quote_status``, ``quote_options``…)."""
    output = service_model().operation_model("GetQuote").output_shape
    assert isinstance(output, StructureShape)
    flat: dict[str, Any] = flatten(output.members["Quote"], quote)
    return flat
