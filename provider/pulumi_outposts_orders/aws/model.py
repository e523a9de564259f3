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
        found.append(Violation(path, "pattern", f"{path} must be {expected_form(shape.name)}{shown}"))
    return found


_FLOAT32_MAX = 3.4028234663852886e38
WIRE_RANGES: dict[str, tuple[float, float, str]] = {
    "integer": (-(2**31), 2**31 - 1, "a 32-bit integer"),
    "long": (-(2**63), 2**63 - 1, "a 64-bit integer"),
    "float": (-_FLOAT32_MAX, _FLOAT32_MAX, "a 32-bit float"),
    "double": (-sys.float_info.max, sys.float_info.max, "a 64-bit float"),
}
"""Per numeric shape type: the smallest and largest value of its wire type, and its name."""

# What each patterned shape of the model accepts, in words with an example (never the raw pattern).
_FORMS: dict[str, str] = {
    "OutpostIdentifier": "an Outpost ID such as op-0123456789abcdef0, or its ARN",
    "OutpostId": "an Outpost ID such as op-0123456789abcdef0, or its ARN",
    "OutpostIdentifierOrEmpty": "an Outpost ID such as op-0123456789abcdef0, its ARN, or empty",
    "OrderId": "an order ID such as oo-0123456789abcdef0",
    "SkuCode": "a catalog item ID such as OR-A1B2C3D (OR- and 7 capital letters or digits)",
    "QuoteIdentifier": "a quote ID such as oq-0123456789abcdef0, or its ARN",
    "QuoteOptionIdentifier": "a quote option ID such as oqo-0123456789abcdef0",
    "SiteId": "a site ID such as os-0123456789abcdef0, or its ARN",
    "Arn": "an Outposts ARN such as arn:aws:outposts:us-east-1:123456789012:outpost/op-0123456789abcdef0",
    "AccountId": "a 12-digit AWS account ID such as 123456789012",
    "AssetIdInput": "a 10-digit asset ID such as 7000010001",
    "CapacityTaskId": "a capacity task ID such as cap-0123456789abcdef0",
    "CountryCode": "a two-letter ISO country code such as US",
    "ContactPhoneNumber": "a phone number in international form such as +12065550100",
    "InstanceId": "an EC2 instance ID such as i-0123456789abcdef0",
    "InstanceTypeName": "an instance type such as m5.24xlarge",
    "PostalCode": "a postal code such as 98101 (letters, digits, spaces and dashes)",
    "TagKey": "a tag key such as team (letters, digits and + - = . _ : /; not starting with aws:)",
    "VpcEndpointId": "a VPC endpoint ID such as vpce-0123456789abcdef0",
    "VpcId": "a VPC ID such as vpc-0123456789abcdef0",
    "SubnetId": "a subnet ID such as subnet-0123456789abcdef0",
    "AssetId": "an asset ID such as 7000010001 (letters, digits and underscores)",
    "DeviceSerialNumber": "a serial number such as AB1234567 (letters, digits and underscores)",
    "HostId": "a Dedicated Host ID such as h-0123456789abcdef0",
    "AvailabilityZone": "an Availability Zone such as us-east-1a",
    "AvailabilityZoneId": "an Availability Zone ID such as use1-az1",
    "ConnectionId": "a connection ID such as a1b2c3d4 (letters, digits, + / =)",
    "Family": "an instance family such as m5",
    "LifeCycleStatus": "a life-cycle status such as ACTIVE (letters and spaces)",
    "OutpostInstanceType": "an instance type such as m5.24xlarge",
    "Token": "a next-page token as returned by the previous call, such as 1##abc",
    "WireGuardPublicKey": "a WireGuard public key: 43 base64 characters and =, such as "
                          "Aa0/+Aa0/+Aa0/+Aa0/+Aa0/+Aa0/+Aa0/+Aa0/+Aa0=",
    "AutoFillIdempotencyToken": "one line of text, such as a UUID",
    # STS (the emulator's AssumeRole), in the names of STS's model.
    "roleSessionNameType": "a session name of letters, digits and + = , . @ - such as deploy-1",
    "externalIdType": "an external ID of letters, digits and + = , . @ : / - such as emulator-external-id",
    "tagKeyType": "a tag key of letters, digits, spaces and _ . : / = + - @ such as team",
}
_LINE_OF_TEXT = "one line of text that does not start with a space and has no tabs, such as Seattle"
_TEXT = "text without tabs or other control characters, such as Lab expansion"


def expected_form(shape_name: str) -> str:
    """What a value of the patterned shape ``shape_name`` looks like, in words with an example."""
    if shape_name in _FORMS:
        return _FORMS[shape_name]
    if shape_name in ("AddressLine1", "AddressLine2", "AddressLine3", "City", "ContactName", "Municipality",
                      "StateOrRegion", "DistrictOrCounty"):
        return _LINE_OF_TEXT
    if shape_name in ("String", "TagValue", "SiteNotes", "ConstraintValue", "OutpostName", "SiteName",
                      "SiteDescription", "QuoteDescription", "OutpostDescription"):
        return _TEXT
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", shape_name).lower()
    return f"a valid {words} in the form AWS documents for {shape_name}"


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
