"""OutpostQuote inputs: the schema, local validation, API parameters, and what counts as a change.

The declared inputs are CreateQuote's members in snake_case (``requested_capacities[0].quantity``).
They are expanded to API members by walking botocore's shape, validated with the shared model
validator (no API call), and failures name the property as the user wrote it. Values still unknown
at preview (unresolved Outputs) are skipped and checked again before the API call.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botocore.model import ListShape, Shape, StructureShape
from pulumi.runtime.rpc import UNKNOWN

from pulumi_outposts_orders._dynamic import Failure
from pulumi_outposts_orders._schema import Field, Kind, Schema
from pulumi_outposts_orders._unknowns import is_unknown, under_unknown
from pulumi_outposts_orders.aws.model import service_model, validate_input
from pulumi_outposts_orders.outposts.order_inputs import check_profile, check_region
from pulumi_outposts_orders.outposts.shapes import property_path, snake

# --- schema --------------------------------------------------------------------------------------
# Every OutpostQuote property, once. UpdateQuote takes every request member, so those (and ``profile``)
# change in place (AWS re-prices the options); the region is where the quote lives, so a new region is
# a new quote. ``region`` and ``profile`` follow OutpostOrder's rules exactly. Outputs name the member
# of GetQuote's ``Quote`` they are read from (``None``: computed by the provider).
QUOTE_SCHEMA = Schema((
    Field("country_code", Kind.IN_PLACE, "CountryCode"),
    Field("requested_capacities", Kind.IN_PLACE, "RequestedCapacities"),
    Field("requested_constraints", Kind.IN_PLACE, "RequestedConstraints"),
    Field("requested_payment_options", Kind.IN_PLACE, "RequestedPaymentOptions"),
    Field("requested_payment_terms", Kind.IN_PLACE, "RequestedPaymentTerms"),
    Field("outpost_identifier", Kind.IN_PLACE, "OutpostIdentifier"),
    Field("description", Kind.IN_PLACE, "Description"),
    Field("region", Kind.REPLACES, check=check_region),
    Field("profile", Kind.IN_PLACE, check=check_profile),
    Field("quote_id", Kind.OUTPUT, "QuoteId"),
    Field("status", Kind.OUTPUT, "QuoteStatus"),
    Field("status_message", Kind.OUTPUT, "StatusMessage"),
    Field("expiration_date", Kind.OUTPUT, "ExpirationDate"),
    Field("created_date", Kind.OUTPUT, "CreatedDate"),
    Field("submitted_order_id", Kind.OUTPUT, "SubmittedOrderId"),
    Field("outpost_arn", Kind.OUTPUT, "OutpostArn"),
    Field("account_id", Kind.OUTPUT, "AccountId"),
    Field("quote_options", Kind.OUTPUT, "QuoteOptions"),
    Field("ordering_requirements", Kind.OUTPUT, "OrderingRequirements"),
    Field("failed_requirements", Kind.OUTPUT),  # the FAIL lines of ordering_requirements
))
QUOTE_INPUTS = QUOTE_SCHEMA.inputs
"""Every input → its CreateQuote member (``None``: used by the provider only, never sent to AWS)."""
REPLACED_BY = QUOTE_SCHEMA.named(Kind.REPLACES)
"""Inputs whose change is a new quote."""

# What UpdateQuote sends to clear a member the user removed (``None``: leave it as it is).
_CLEARED: dict[str, Any] = {
    "OutpostIdentifier": "",
    "RequestedConstraints": [],
    "RequestedPaymentOptions": [],
    "RequestedPaymentTerms": [],
    "Description": "",
}


def _create_shape() -> StructureShape:
    shape = service_model().operation_model("CreateQuote").input_shape
    assert isinstance(shape, StructureShape)
    return shape


# --- validation ----------------------------------------------------------------------------------
def check_inputs(props: Mapping[str, Any]) -> list[Failure]:
    """Every broken rule in ``props`` (declared inputs); unknown values pass."""
    params, unknown = api_params(props)
    failures = [
        Failure(property_path(v.path), v.message.replace(v.path, property_path(v.path)))
        for v in validate_input("CreateQuote", params)
        if not under_unknown(v.path, unknown)
    ]
    return failures + QUOTE_SCHEMA.checks(props, provider_only=True)


# --- API parameters ------------------------------------------------------------------------------
def api_params(props: Mapping[str, Any]) -> tuple[dict[str, Any], set[str]]:
    """CreateQuote-shaped parameters (unknown values left out) and the API paths of the unknowns."""
    shape = _create_shape()
    params: dict[str, Any] = {}
    unknown: set[str] = set()
    for name, member in QUOTE_INPUTS.items():
        value = props.get(name)
        if member is None or value is None:
            continue
        if is_unknown(value):
            unknown.add(member)
        else:
            params[member] = expand(shape.members[member], value, member, unknown)
    return params, unknown


def create_params(props: Mapping[str, Any]) -> dict[str, Any]:
    """CreateQuote parameters for fully known, checked ``props``."""
    params, unknown = api_params(props)
    if unknown:
        raise ValueError(f"inputs still unknown: {', '.join(sorted(unknown))}")
    return params


def update_params(quote_id: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> dict[str, Any]:
    """UpdateQuote parameters: the changed members (removed ones cleared) for quote ``quote_id``."""
    new = create_params(news)
    old = _comparable(olds)
    params: dict[str, Any] = {"QuoteIdentifier": quote_id}
    for name in changed(olds, news):
        member = QUOTE_INPUTS[name]
        if member is None:
            continue
        if member in new:
            params[member] = new[member]
        elif member in old and _CLEARED.get(member) is not None:
            params[member] = _CLEARED[member]
    return params


def expand(shape: Shape, value: Any, path: str, unknown: set[str]) -> Any:
    """``value`` (snake_case, as declared) in API form; unknown leaves recorded in ``unknown``.

    Keys that name no member are kept as written, so the validator reports them by name.
    """
    if is_unknown(value):
        unknown.add(path)
        return UNKNOWN
    if isinstance(shape, StructureShape) and isinstance(value, Mapping):
        members = {snake(name): name for name in shape.members}
        expanded: dict[str, Any] = {}
        for key, item in value.items():
            member = members.get(str(key), str(key))
            if item is None:
                continue
            if member in shape.members:
                expanded[member] = expand(shape.members[member], item, f"{path}.{member}", unknown)
            else:
                expanded[member] = item
        return expanded
    if isinstance(shape, ListShape) and isinstance(value, list | tuple):
        return [expand(shape.member, item, f"{path}[{i}]", unknown) for i, item in enumerate(value)]
    return value


# --- changes -------------------------------------------------------------------------------------
def changed(olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[str]:
    """Declared inputs whose value differs between ``olds`` (state) and ``news`` (the program).

    Request members compare in API form without empty members (``{"unit": None}`` equals ``{}``,
    ``2.0`` equals ``2``). Unknown values count as changed (preview shows the worst case).
    """
    old, new = _comparable(olds), _comparable(news)
    found: list[str] = []
    for name, member in QUOTE_INPUTS.items():
        if name in REPLACED_BY and member is None and news.get(name) is None:
            differs = False  # omitted (``region``): the region the quote was created in stays
        elif member is None:
            differs = news.get(name) != olds.get(name)
        else:
            differs = is_unknown(news.get(name)) or _stripped(new.get(member)) != _stripped(old.get(member))
        if differs:
            found.append(name)
    return found


def _comparable(props: Mapping[str, Any]) -> dict[str, Any]:
    params, _ = api_params(props)
    return params


def _stripped(value: Any) -> Any:
    """``value`` without ``None`` members and with whole floats as ints (Pulumi sends 2 as 2.0)."""
    if isinstance(value, Mapping):
        return {k: _stripped(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_stripped(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
