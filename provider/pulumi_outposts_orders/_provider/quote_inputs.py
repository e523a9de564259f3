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

from .._model import service_model, validate_input
from .._shapes import property_path, snake
from .order_inputs import Failure
from .order_inputs import _provider_only as _access_rules
from .same_order import is_unknown

# --- schema --------------------------------------------------------------------------------------
# Declared inputs: name -> CreateQuote member (None: used by the provider only, never sent to AWS).
QUOTE_INPUTS: dict[str, str | None] = {
    "country_code": "CountryCode",
    "requested_capacities": "RequestedCapacities",
    "requested_constraints": "RequestedConstraints",
    "requested_payment_options": "RequestedPaymentOptions",
    "requested_payment_terms": "RequestedPaymentTerms",
    "outpost_identifier": "OutpostIdentifier",
    "description": "Description",
    "region": None,
    "profile": None,
}

# What a change does. UpdateQuote takes every request member, so those (and ``profile``) change in
# place (AWS re-prices the options); the region is where the quote lives, so a new region is a new quote.
REPLACED_BY = ("region",)

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
    access = {name: props.get(name) for name in ("region", "profile") if not is_unknown(props.get(name))}
    failures = [
        Failure(property_path(v.path), v.message.replace(v.path, property_path(v.path)))
        for v in validate_input("CreateQuote", params)
        if not _under(v.path, unknown)
    ]
    # ``region`` and ``profile`` follow OutpostOrder's rules exactly: reuse them.
    return failures + _access_rules(access)


def _under(path: str, unknown: set[str]) -> bool:
    return any(path == u or path.startswith((u + ".", u + "[")) for u in unknown)


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
        if name == "region" and news.get(name) is None:
            differs = False  # omitted: the region the quote was created in stays
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
