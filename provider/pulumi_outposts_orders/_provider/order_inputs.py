"""OutpostOrder inputs: the schema, local validation, API parameters, and what counts as a change.

Everything a user declares is checked here before any API call: the CreateOrder shape from
botocore's service model (patterns, enums, lengths, 1 to 20 line items, integer quantities ≥ 1) plus
the rules the model cannot express. Failures name the property as the user wrote it
(``line_items[0].quantity``). Values still unknown at preview (unresolved Outputs) are skipped and
checked again when they are known, before CreateOrder.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .._model import Violation, service_model, validate_input, validate_shape
from .._shapes import property_path
from .same_order import OrderSpec, is_unknown, whole

# --- schema --------------------------------------------------------------------------------------
# Declared inputs: name -> CreateOrder member (None: used by the provider only, never sent to AWS).
ORDER_INPUTS: dict[str, str | None] = {
    "outpost_identifier": "OutpostIdentifier",
    "line_items": "LineItems",
    "payment_option": "PaymentOption",
    "payment_term": "PaymentTerm",
    "quote_identifier": "QuoteIdentifier",
    "quote_option_identifier": "QuoteOptionIdentifier",
    "region": None,
    "profile": None,
    "adopt_order_id": None,
    "expected_price": None,
    "placement_key": None,
    "retain_on_delete": None,
    "distinct_from_order_ids": None,
}
LINE_ITEM_INPUTS: dict[str, str] = {"catalog_item_id": "CatalogItemId", "quantity": "Quantity"}
# expected_price mirrors the quote's SubscriptionPricingDetails (Currency, UpfrontPrice, MonthlyRecurringPrice).
PRICE_AMOUNTS = ("upfront_price", "monthly_recurring_price")
PRICE_INPUTS = ("currency", *PRICE_AMOUNTS)

_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}\Z")


@dataclass(frozen=True)
class Failure:
    """An input that breaks a rule: the property path as written by the user, and why."""

    property: str
    reason: str


# --- validation ----------------------------------------------------------------------------------
def check_inputs(props: Mapping[str, Any]) -> list[Failure]:
    """Every broken rule in ``props`` (declared inputs); unknown values pass."""
    failures = _line_item_keys(props.get("line_items"))
    params, unknown = _api_params(props)
    for violation in validate_input("CreateOrder", params):
        if not _under_unknown(violation.path, unknown):
            failures.append(_as_failure(violation))
    failures += _provider_only(props)
    failures += _cross_field(props)
    failures += _expected_price(props)
    return failures


def _line_item_keys(items: Any) -> list[Failure]:
    """Line items are the money: both members required, no stray (mistyped) keys."""
    if not isinstance(items, list | tuple):
        return []
    failures: list[Failure] = []
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            continue  # the model reports the type
        for key in item:
            if key not in LINE_ITEM_INPUTS:
                known = " and ".join(LINE_ITEM_INPUTS)
                failures.append(
                    Failure(f"line_items[{index}].{key}", f"unknown key {key!r}: a line item has {known}")
                )
        for key in LINE_ITEM_INPUTS:
            if item.get(key) is None:
                failures.append(
                    Failure(f"line_items[{index}].{key}", f"line_items[{index}].{key} is required")
                )
    return failures


def _provider_only(props: Mapping[str, Any]) -> list[Failure]:
    failures: list[Failure] = []
    region, profile, adopt = props.get("region"), props.get("profile"), props.get("adopt_order_id")
    if (
        region is not None
        and not is_unknown(region)
        and not (isinstance(region, str) and _REGION.match(region))
    ):
        failures.append(
            Failure("region", f"region must be an AWS region name such as us-west-2 (got {region!r})")
        )
    if profile is not None and not is_unknown(profile) and not (isinstance(profile, str) and profile.strip()):
        failures.append(Failure("profile", f"profile must be a non-empty AWS profile name (got {profile!r})"))
    order_id = service_model().operation_model("GetOrder").input_shape.members["OrderId"]
    if adopt is not None and not is_unknown(adopt):
        for violation in validate_shape(order_id, adopt, "adopt_order_id"):
            failures.append(Failure("adopt_order_id", violation.message))
    distinct = props.get("distinct_from_order_ids")
    if distinct is not None and not is_unknown(distinct):
        if not isinstance(distinct, list | tuple):
            failures.append(Failure("distinct_from_order_ids",
                                    f"distinct_from_order_ids must be a list of order IDs (got {distinct!r})"))
        else:
            for index, item in enumerate(distinct):
                where = f"distinct_from_order_ids[{index}]"
                if not is_unknown(item):
                    failures += [Failure(where, v.message) for v in validate_shape(order_id, item, where)]
    retain = props.get("retain_on_delete")
    if retain is not None and not is_unknown(retain) and not isinstance(retain, bool):
        failures.append(Failure("retain_on_delete", f"retain_on_delete must be true or false (got {retain!r})"))
    return failures


def _cross_field(props: Mapping[str, Any]) -> list[Failure]:
    quote, option, items = (
        props.get(k) for k in ("quote_identifier", "quote_option_identifier", "line_items")
    )
    failures: list[Failure] = []
    if option is not None and quote is None:
        failures.append(
            Failure(
                "quote_option_identifier",
                "quote_option_identifier needs quote_identifier (the quote the option belongs to)",
            )
        )
    if quote is not None and option is None:
        failures.append(
            Failure(
                "quote_identifier",
                "quote_identifier needs quote_option_identifier (which of the quote's options to order)",
            )
        )
    if items is None and quote is None:
        failures.append(
            Failure(
                "line_items", "an order needs line_items, or quote_identifier with quote_option_identifier"
            )
        )
    if items is not None and quote is not None:
        failures.append(
            Failure(
                "line_items",
                "line_items and quote_identifier are mutually exclusive: "
                "a quote-based order's items come from the chosen quote option",
            )
        )
    return failures


def _expected_price(props: Mapping[str, Any]) -> list[Failure]:
    """A price guard for quote-based orders: a currency and at least one amount, each well formed."""
    price = props.get("expected_price")
    if price is None or is_unknown(price):
        return []
    needs = "currency plus upfront_price and/or monthly_recurring_price"
    if not isinstance(price, Mapping):
        return [Failure("expected_price", f"expected_price must be an object with {needs} (got {price!r})")]
    failures = [
        Failure(f"expected_price.{key}", f"unknown key {key!r}: expected_price has {', '.join(PRICE_INPUTS)}")
        for key in price
        if key not in PRICE_INPUTS
    ]
    if props.get("quote_identifier") is None:
        failures.append(Failure(
            "expected_price",
            "expected_price applies to quote-based orders: it is compared with the quote's price "
            "for the chosen payment option and term",
        ))
    currency = price.get("currency")
    if currency is None:
        failures.append(Failure("expected_price.currency", "expected_price.currency is required"))
    elif not is_unknown(currency):
        shape = service_model().shape_for("CurrencyCode")
        failures += [Failure("expected_price.currency", v.message) for v in
                     validate_shape(shape, currency, "expected_price.currency")]
    given = [name for name in PRICE_AMOUNTS if price.get(name) is not None]
    if not given:
        failures.append(Failure("expected_price", f"expected_price needs {needs}"))
    for name in given:
        amount = price[name]
        if is_unknown(amount):
            continue
        if isinstance(amount, bool) or not isinstance(amount, int | float) or not 0 <= amount < float("inf"):
            failures.append(Failure(f"expected_price.{name}",
                                    f"expected_price.{name} must be a number >= 0 (got {amount!r})"))
    return failures


def _as_failure(violation: Violation) -> Failure:
    where = property_path(violation.path)
    return Failure(
        where, violation.message.replace(violation.path, where) if violation.path else violation.message
    )


def _under_unknown(path: str, unknown: set[str]) -> bool:
    return any(path == u or path.startswith((u + ".", u + "[")) for u in unknown)


# --- API parameters ------------------------------------------------------------------------------
def create_params(props: Mapping[str, Any]) -> dict[str, Any]:
    """CreateOrder parameters for fully known, checked ``props``."""
    params, unknown = _api_params(props)
    if unknown:
        raise ValueError(f"inputs still unknown at create: {', '.join(sorted(unknown))}")
    return params


def _api_params(props: Mapping[str, Any]) -> tuple[dict[str, Any], set[str]]:
    """API-shaped parameters without unknown values, and the API paths of those unknowns."""
    params: dict[str, Any] = {}
    unknown: set[str] = set()
    for name, member in ORDER_INPUTS.items():
        value = props.get(name)
        if member is None or value is None:
            continue
        if is_unknown(value):
            unknown.add(member)
        elif name == "line_items" and isinstance(value, list | tuple):
            params[member] = [_line_item(item, f"{member}[{i}]", unknown) for i, item in enumerate(value)]
        else:
            params[member] = value
    return params, unknown


def _line_item(item: Any, path: str, unknown: set[str]) -> Any:
    if is_unknown(item):
        unknown.add(path)
        return {}
    if not isinstance(item, Mapping):
        return item
    expanded: dict[str, Any] = {}
    for name, member in LINE_ITEM_INPUTS.items():
        value = item.get(name)
        if is_unknown(value):
            unknown.add(f"{path}.{member}")
        elif value is not None:
            # Only whole numbers become ints, so 1.5 still fails the model's integer rule.
            expanded[member] = whole(value) if name == "quantity" else value
    return expanded


# --- changes -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Difference:
    """A declared input that does not match the order: the property, declared and recorded values."""

    property: str
    declared: Any
    recorded: Any


def differences(declared: Mapping[str, Any], recorded: Mapping[str, Any]) -> list[Difference]:
    """Declared inputs that differ from the order recorded in ``recorded`` (outputs or a GetOrder ``Order``).

    "The same order" is ``OrderSpec``; ``region`` is compared too (where the order lives), and an
    omitted ``region`` accepts the recorded one. An unknown value counts as different.
    """
    found = [Difference(name, mine, theirs)
             for name, mine, theirs in OrderSpec.declared(declared).differences(OrderSpec.of_order(recorded))]
    region = declared.get("region")
    if region is not None and (is_unknown(region) or region != recorded.get("region")):
        found.append(Difference("region", region, recorded.get("region")))
    return found


def describe(differences_: list[Difference]) -> str:
    """One line per difference: ``payment_option: declared 'ALL_UPFRONT', order has 'NO_UPFRONT'``."""
    return "\n".join(
        f"  {d.property}: declared {_shown(d.declared)}, order has {_shown(d.recorded)}" for d in differences_
    )


def _shown(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(f"{item} x{quantity}" for item, quantity in value) or "(none)"
    return "(not set)" if value is None else repr(value)
