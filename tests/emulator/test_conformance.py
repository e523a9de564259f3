"""Model-driven conformance: generated valid requests, responses checked against the output shapes.

For every operation the emulator implements, hypothesis generates inputs that the service model
allows (identifiers mostly drawn from the seeded data, so calls can succeed) and boto3 sends them.
Every answer is checked here, with code of this test and not the emulator's validator: a 200 body
must fit the output shape (members, types, enums, patterns, lengths, ranges of the wire types,
timestamps); an error must be one the operation declares, with the model's HTTP status, and never
a model-rule refusal of a valid input. Then every declared error that the emulator can produce is
triggered once and checked for its status and code. One emulator serves the whole module.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
from collections.abc import Iterator
from typing import Any

import pytest
from botocore import xform_name
from botocore.model import ListShape, MapShape, OperationModel, Shape, StructureShape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pulumi_outposts_orders.aws.model import service_model
from pulumi_outposts_orders.emulator.outposts import seed
from pulumi_outposts_orders.emulator.outposts.operations import OPERATIONS
from pulumi_outposts_orders.emulator.testing import RunningEmulator

from .conftest import client_of
from .test_orders import UNVALIDATED

IMPLEMENTED = sorted(OPERATIONS)
MAX_OPEN_ORDERS = 40
CONFORMANCE = settings(max_examples=15, deadline=None, derandomize=True, database=None,
                       suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                              HealthCheck.filter_too_much])
ASCII = st.characters(min_codepoint=32, max_codepoint=126)
RACK_ARN = f"arn:aws:outposts:us-east-1:{seed.ACCOUNT_ID}:outpost/{seed.RACK_OUTPOST_ID}"
INT_RANGES = {"integer": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}
FLOAT32_MAX = 3.4028234663852886e38
EPOCH_2000, EPOCH_2200 = 946_684_800, 7_258_118_400


class Wire:
    """The module's emulator, a boto3 client of it, and the raw HTTP answer of the client's last call."""

    def __init__(self, emulator: RunningEmulator) -> None:
        self.emulator = emulator
        self.client = client_of(emulator)
        self.unchecked = client_of(emulator, UNVALIDATED)
        """A client that sends what it is given (botocore's own validation off), to send invalid inputs."""
        self.last: tuple[int, dict[str, str], bytes] = (0, {}, b"")
        for client in (self.client, self.unchecked):
            client.meta.events.register("after-call.outposts", self._record)
        self.orders = [self.new_order() for _ in range(3)]

    def _record(self, http_response: Any, **_: Any) -> None:
        self.last = (http_response.status_code, dict(http_response.headers), http_response.content)

    def call(self, operation: str, params: dict[str, Any], checked: bool = True) -> tuple[int, dict[str, str], bytes]:
        """Send ``params`` with boto3; the raw status, headers and body that came back."""
        client = self.client if checked else self.unchecked
        with contextlib.suppress(client.exceptions.ClientError):
            getattr(client, xform_name(operation))(**params)
        return self.last

    def new_order(self) -> str:
        """A new PREPARING order's ID."""
        created = self.client.create_order(**HAPPY["CreateOrder"])
        order_id: str = created["Order"]["OrderId"]
        return order_id


@pytest.fixture(scope="module")
def wire() -> Iterator[Wire]:
    with RunningEmulator(args=["--max-open-orders", str(MAX_OPEN_ORDERS)]) as running:
        yield Wire(running)
        running.admin.clear_faults()


# --- valid inputs from the model --------------------------------------------------------------------
def known(*values: str) -> st.SearchStrategy[Any]:
    return st.sampled_from(values)


def id_strategies(wire: Wire) -> dict[str, st.SearchStrategy[Any]]:
    """Members whose generated values would name nothing: mostly seeded values, sometimes generated."""
    outposts = known(seed.RACK_OUTPOST_ID, seed.SERVER_OUTPOST_ID, seed.RETIRED_OUTPOST_ID, RACK_ARN)
    return {
        "OutpostIdentifier": outposts, "OutpostId": outposts, "OutpostIdentifierFilter": outposts,
        "SiteId": known(seed.SITE_ID, seed.SECOND_SITE_ID),
        "QuoteIdentifier": known(seed.QUOTE_ID, seed.EXPIRED_QUOTE_ID),
        "QuoteOptionIdentifier": known(*seed.QUOTE_OPTION_IDS),
        "CatalogItemId": known(*(i["CatalogItemId"] for i in seed.catalog_items())),
        "OrderId": known(*wire.orders),
        "Quantity": st.integers(1, 3),
    }


def value_of(shape: Shape, ids: dict[str, st.SearchStrategy[Any]], name: str = "") -> st.SearchStrategy[Any]:
    """Values ``shape`` allows; a member named in ``ids`` mostly takes one of its values."""
    generic = _generic(shape, ids)
    return st.one_of(ids[name], ids[name], ids[name], generic) if name in ids else generic


def _generic(shape: Shape, ids: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if isinstance(shape, StructureShape):
        members = {n: value_of(m, ids, n) for n, m in shape.members.items() if n != "NextToken"}
        required = {n: s for n, s in members.items() if n in shape.required_members}
        return st.fixed_dictionaries(required, optional={n: s for n, s in members.items() if n not in required})
    if isinstance(shape, ListShape):
        return st.lists(value_of(shape.member, ids), min_size=low or 0, max_size=min(high or 3, 3))
    if isinstance(shape, MapShape):
        return st.dictionaries(value_of(shape.key, ids), value_of(shape.value, ids), max_size=min(high or 3, 3))
    kind = shape.type_name
    if kind == "string":
        if getattr(shape, "enum", None):
            return st.sampled_from(list(shape.enum))
        pattern = shape.metadata.get("pattern")
        text = st.from_regex(pattern, fullmatch=True, alphabet=ASCII) if pattern else st.text(ASCII, max_size=30)
        return text.filter(lambda s: (low or 0) <= len(s) <= (high or 30))
    if kind in INT_RANGES:
        bottom, top = INT_RANGES[kind]
        return st.integers(bottom if low is None else low, top if high is None else high)
    if kind in ("float", "double"):
        return st.floats(low, high, allow_nan=False, allow_infinity=False, width=32 if kind == "float" else 64)
    if kind == "boolean":
        return st.booleans()
    raise AssertionError(f"no strategy for {shape.name} ({kind})")


# --- checking what came back, independently of the emulator's code ---------------------------------
def shape_problems(shape: Shape, value: Any, path: str) -> list[str]:
    """How the wire (JSON) ``value`` breaks ``shape``: [] when it fits."""
    if isinstance(shape, StructureShape):
        if not isinstance(value, dict):
            return [f"{path}: an object expected, got {value!r}"]
        wire_names = {m.serialization.get("name", n): m for n, m in shape.members.items()}
        if shape.metadata.get("exception") and "Message" in shape.members:
            wire_names["message"] = shape.members["Message"]  # AWS writes it lower-case; SDKs read both
        found = [f"{path}.{k}: not a member of {shape.name}" for k in value if k not in wire_names]
        found += [f"{path}.{n}: required" for n in shape.required_members if n not in value]
        return found + [p for k, v in value.items() if k in wire_names
                        for p in shape_problems(wire_names[k], v, f"{path}.{k}")]
    if isinstance(shape, ListShape | MapShape):
        items = value if isinstance(shape, ListShape) else value.items() if isinstance(value, dict) else None
        if not isinstance(value, list if isinstance(shape, ListShape) else dict):
            return [f"{path}: a {'list' if isinstance(shape, ListShape) else 'map'} expected, got {value!r}"]
        found = _bounds(shape, len(value), path)
        if isinstance(shape, ListShape):
            return found + [p for i, v in enumerate(value) for p in shape_problems(shape.member, v, f"{path}[{i}]")]
        assert isinstance(shape, MapShape) and items is not None
        return found + [p for k, v in items
                        for p in shape_problems(shape.key, k, f"{path} key") + shape_problems(shape.value, v,
                                                                                               f"{path}.{k}")]
    return _scalar_problems(shape, value, path)


def _scalar_problems(shape: Shape, value: Any, path: str) -> list[str]:
    kind = shape.type_name
    if kind == "string":
        if not isinstance(value, str):
            return [f"{path}: a string expected, got {value!r}"]
        enum = getattr(shape, "enum", None)
        if enum and value not in enum:
            return [f"{path}: {value!r} is not one of {enum}"]
        pattern = shape.metadata.get("pattern")
        found = _bounds(shape, len(value), path)
        if pattern and not re.search(pattern.replace("$", r"\Z") if pattern.endswith("$") else pattern, value,
                                     re.ASCII):
            found.append(f"{path}: {value!r} does not match {pattern}")
        return found
    if kind in INT_RANGES:
        bottom, top = INT_RANGES[kind]
        if isinstance(value, bool) or not isinstance(value, int) or not bottom <= value <= top:
            return [f"{path}: a {kind} expected, got {value!r}"]
        return _bounds(shape, value, path)
    if kind in ("float", "double"):
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            return [f"{path}: a finite number expected, got {value!r}"]
        if kind == "float" and abs(value) > FLOAT32_MAX:
            return [f"{path}: {value!r} does not fit a 32-bit float"]
        return _bounds(shape, value, path)
    if kind == "timestamp":
        ok = isinstance(value, int | float) and not isinstance(value, bool) and EPOCH_2000 < value < EPOCH_2200
        return [] if ok else [f"{path}: epoch seconds between 2000 and 2200 expected, got {value!r}"]
    if kind == "boolean":
        return [] if isinstance(value, bool) else [f"{path}: a boolean expected, got {value!r}"]
    return [f"{path}: unexpected {kind} in an Outposts response"]


def _bounds(shape: Shape, size: float, path: str) -> list[str]:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    ok = (low is None or size >= low) and (high is None or size <= high)
    return [] if ok else [f"{path}: {size} is outside [{low}, {high}]"]


def strict_json(body: bytes) -> Any:
    def refuse(token: str) -> Any:
        raise AssertionError(f"non-JSON token {token} in a response")

    return json.loads(body, parse_constant=refuse)


def answer_problems(operation: OperationModel, status: int, headers: dict[str, str], body: bytes) -> list[str]:
    """Everything wrong with one answer to a model-valid request of ``operation``."""
    payload = strict_json(body)
    if status == 200:
        return shape_problems(operation.output_shape, payload, operation.name) if operation.output_shape else []
    code = headers.get("x-amzn-ErrorType", "")
    declared = {e.name: e for e in operation.error_shapes}
    if code not in declared:
        return [f"{operation.name}: {status} {code} is not an error it declares ({', '.join(declared)})"]
    found = []
    if status != declared[code].metadata["error"]["httpStatusCode"]:
        found.append(f"{operation.name}: {code} came with HTTP {status}")
    if code == "ValidationException" and re.match(r"\d+ validation errors? detected", payload.get("message", "")):
        found.append(f"{operation.name}: a model-valid request was refused: {payload['message']}")
    return found + shape_problems(declared[code], payload, f"{operation.name} {code}")


HAPPY: dict[str, dict[str, Any]] = {
    "CreateOrder": {"OutpostIdentifier": seed.SERVER_OUTPOST_ID, "PaymentOption": "PARTIAL_UPFRONT",
                    "LineItems": [{"CatalogItemId": seed.SERVER_CATALOG_ITEM_ID, "Quantity": 2}]},
    "GetOutpost": {"OutpostId": seed.RACK_OUTPOST_ID}, "ListOutposts": {}, "GetSite": {"SiteId": seed.SITE_ID},
    "ListSites": {}, "ListAssets": {"OutpostIdentifier": seed.RACK_OUTPOST_ID}, "ListCatalogItems": {},
    "GetCatalogItem": {"CatalogItemId": seed.RACK_CATALOG_ITEM_ID}, "ListOrders": {"MaxResults": 2},
    "CreateQuote": {"CountryCode": "US", "OutpostIdentifier": seed.RACK_OUTPOST_ID, "RequestedCapacities": [
        {"QuoteCapacityType": "EC2", "Unit": "m5.24xlarge", "Quantity": 2.5}], "Description": "conformance"},
    "GetQuote": {"QuoteIdentifier": seed.QUOTE_ID}, "ListQuotes": {"MaxResults": 1},
    "UpdateQuote": {"QuoteIdentifier": seed.QUOTE_ID, "RequestedPaymentTerms": ["FIVE_YEARS"]},
    "GetRenewalPricing": {"OutpostIdentifier": seed.RACK_OUTPOST_ID},
    "CreateRenewal": {"OutpostIdentifier": RACK_ARN, "PaymentOption": "NO_UPFRONT", "PaymentTerm": "ONE_YEAR",
                      "ClientToken": "conformance-renewal"},
    "GetOutpostBillingInformation": {"OutpostIdentifier": seed.SERVER_OUTPOST_ID, "MaxResults": 2},
    "StartOutpostDecommission": {"OutpostIdentifier": RACK_ARN, "ValidateOnly": True},
}
"""One request per operation that succeeds (those naming an order are built from the module's orders).

CreateRenewal's has a ClientToken of its own: sent again, it answers the same renewal (which it would not with
another token while that renewal is pending)."""


@pytest.mark.parametrize("name", IMPLEMENTED)
def test_a_valid_request_of_each_operation_succeeds_with_a_conforming_answer(wire: Wire, name: str) -> None:
    params = valid_request(wire, name)
    if name == "CancelOrder":
        params = {"OrderId": wire.new_order()}
    if name == "DeleteQuote":
        params = {"QuoteIdentifier": wire.client.create_quote(**HAPPY["CreateQuote"])["Quote"]["QuoteId"]}
    status, headers, body = wire.call(name, params)
    assert status == 200, body
    assert answer_problems(service_model().operation_model(name), status, headers, body) == []


@pytest.mark.parametrize("name", IMPLEMENTED)
@CONFORMANCE
@given(data=st.data())
def test_generated_valid_requests_get_conforming_answers(wire: Wire, name: str, data: st.DataObject) -> None:
    operation = service_model().operation_model(name)
    params = data.draw(value_of(operation.input_shape, id_strategies(wire)), label="params") \
        if operation.input_shape else {}
    status, headers, body = wire.call(name, params)
    assert answer_problems(operation, status, headers, body) == []


# --- every declared error --------------------------------------------------------------------------
UNKNOWN = {"OrderId": "oo-00000000000000000", "OutpostId": "op-00000000000000000",
           "OutpostIdentifier": "op-00000000000000000", "OutpostIdentifierFilter": "op-00000000000000000",
           "SiteId": "os-00000000000000000", "QuoteIdentifier": "oq-00000000000000000",
           "CatalogItemId": "OR-ZZZZZZZ"}
"""Well-formed identifiers that name nothing."""
NOT_TRIGGERABLE = {
    ("*", "AccessDeniedException"): "the emulator has no IAM policies: every signed caller may do everything",
    ("ListCatalogItems", "NotFoundException"): "it names no resource: its filters select, they look nothing up",
}
"""Declared errors (per operation, or "*" for all) that the emulator never answers, and why."""


def triggerable(name: str, code: str) -> bool:
    return ("*", code) not in NOT_TRIGGERABLE and (name, code) not in NOT_TRIGGERABLE


def valid_request(wire: Wire, name: str) -> dict[str, Any]:
    """A request of ``name`` that the model accepts (its own happy one, or one naming seeded things)."""
    members = service_model().operation_model(name).input_shape.members
    base = {"OrderId": wire.orders[0], "QuoteIdentifier": seed.QUOTE_ID}
    return dict(HAPPY[name]) if name in HAPPY else {k: v for k, v in base.items() if k in members}


def _not_found(wire: Wire, name: str) -> dict[str, Any]:
    member = next(m for m in service_model().operation_model(name).input_shape.members if m in UNKNOWN)
    return {**valid_request(wire, name), member: UNKNOWN[member]}


def _invalid(wire: Wire, name: str) -> dict[str, Any]:
    members = service_model().operation_model(name).input_shape.members
    broken: dict[str, object] = {n: "!not-valid!" for n, m in members.items()
                                 if m.metadata.get("pattern") or getattr(m, "enum", None)}
    broken = broken or {"MaxResults": 0}
    return {**valid_request(wire, name), **dict([next(iter(broken.items()))])}


def _conflict(wire: Wire, name: str) -> dict[str, Any]:
    if name == "StartOutpostDecommission":
        return {"OutpostIdentifier": seed.RETIRED_OUTPOST_ID, "ValidateOnly": True}
    if name == "CancelOrder":
        order_id = wire.new_order()
        wire.client.cancel_order(OrderId=order_id)
        return {"OrderId": order_id}
    return {**HAPPY["CreateOrder"], "OutpostIdentifier": seed.RETIRED_OUTPOST_ID,
            "LineItems": [{"CatalogItemId": seed.RACK_CATALOG_ITEM_ID, "Quantity": 1}]}


def _over_quota(wire: Wire, name: str) -> dict[str, Any]:
    for _ in range(MAX_OPEN_ORDERS):  # fill the quota; the call after it is the one checked
        if wire.call(name, HAPPY[name])[0] != 200:
            break
    return HAPPY[name]


TRIGGERS = {"ValidationException": _invalid, "NotFoundException": _not_found, "ConflictException": _conflict,
            "ServiceQuotaExceededException": _over_quota}
DECLARED = sorted({(name, error.name) for name in IMPLEMENTED
                   for error in service_model().operation_model(name).error_shapes})


TRIGGERED = [(name, code) for name, code in DECLARED if triggerable(name, code)]


def test_every_declared_error_is_triggered_below_or_said_why_not() -> None:
    assert {code for _, code in TRIGGERED} <= {*TRIGGERS, "InternalServerException"}


@pytest.mark.parametrize(("name", "code"), TRIGGERED, ids=[f"{n}-{c}" for n, c in TRIGGERED])
def test_each_declared_error_comes_with_its_status_and_code(wire: Wire, name: str, code: str) -> None:
    operation = service_model().operation_model(name)
    if code == "InternalServerException":
        wire.emulator.admin.set_faults({name: {"error_rate": 1.0}})
        params = valid_request(wire, name)
    else:
        params = TRIGGERS[code](wire, name)
    try:
        status, headers, body = wire.call(name, params, checked=code != "ValidationException")
    finally:
        wire.emulator.admin.clear_faults()
    expected = operation.error_shapes[[e.name for e in operation.error_shapes].index(code)]
    assert (status, headers.get("x-amzn-ErrorType")) == (expected.metadata["error"]["httpStatusCode"], code), body
    assert shape_problems(expected, strict_json(body), code) == []
