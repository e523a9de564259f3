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

from pulumi_outposts_orders._dynamic import Failure
from pulumi_outposts_orders._schema import Field, Kind, Schema
from pulumi_outposts_orders._unknowns import is_unknown, under_unknown
from pulumi_outposts_orders.aws.model import Violation, service_model, validate_input, validate_shape
from pulumi_outposts_orders.outposts.same_order import OrderSpec, whole
from pulumi_outposts_orders.outposts.shapes import property_path

__all__ = ["Failure"]  # re-exported: the order's checks are written in terms of it

# --- schema --------------------------------------------------------------------------------------
# Every OutpostOrder property, once. Inputs with an API member are CreateOrder's; the others are read by
# the provider only. What was ordered (the six inputs of "the same order", ``OrderSpec``) and where it
# lives (``region``) replace the order, cancelling it first. The rest are not what was ordered, so a
# change is an update with no API call: ``profile`` says how to reach the order (later reads and
# cancels use the new value); ``expected_price`` and ``distinct_from_order_ids`` guard the placement
# only; ``placement_key`` names the resource in the attempt journal; ``retain_on_delete`` mirrors the
# resource option (both set by ``OutpostOrder``) so that diff can refuse a replacement that would leave
# the order live. ``adopt_order_id`` matters at create only; afterwards it may be removed, but never
# point at another order (``diff`` refuses that).
def _line_item_keys(items: Any, _props: Mapping[str, Any]) -> list[Failure]:
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


def check_region(region: Any, _props: Mapping[str, Any]) -> list[Failure]:
    """``region`` is an AWS region name (both resources)."""
    if isinstance(region, str) and _REGION.match(region):
        return []
    return [Failure("region", f"region must be an AWS region name such as us-west-2 (got {region!r})")]


def check_profile(profile: Any, _props: Mapping[str, Any]) -> list[Failure]:
    """``profile`` is a non-empty profile name (both resources)."""
    if isinstance(profile, str) and profile.strip():
        return []
    return [Failure("profile", f"profile must be a non-empty AWS profile name (got {profile!r})")]


def _order_id_failures(value: Any, where: str) -> list[Failure]:
    order_id = service_model().operation_model("GetOrder").input_shape.members["OrderId"]
    return [Failure(where, v.message) for v in validate_shape(order_id, value, where)]


def _adopt_order_id(adopt: Any, _props: Mapping[str, Any]) -> list[Failure]:
    return _order_id_failures(adopt, "adopt_order_id")


def _distinct_from(distinct: Any, _props: Mapping[str, Any]) -> list[Failure]:
    if not isinstance(distinct, list | tuple):
        return [Failure("distinct_from_order_ids",
                        f"distinct_from_order_ids must be a list of order IDs (got {distinct!r})")]
    failures: list[Failure] = []
    for index, item in enumerate(distinct):
        if not is_unknown(item):
            failures += _order_id_failures(item, f"distinct_from_order_ids[{index}]")
    return failures


def _retain(retain: Any, _props: Mapping[str, Any]) -> list[Failure]:
    if isinstance(retain, bool):
        return []
    return [Failure("retain_on_delete", f"retain_on_delete must be true or false (got {retain!r})")]


def _expected_price(price: Any, props: Mapping[str, Any]) -> list[Failure]:
    """A price guard for quote-based orders: a currency and at least one amount, each well formed."""
    failures = price_guard_failures(price)
    if isinstance(price, Mapping) and props.get("quote_identifier") is None:
        failures.insert(len([f for f in failures if "unknown key" in f.reason]), Failure(
            "expected_price",
            "expected_price applies to quote-based orders: it is compared with the quote's price "
            "for the chosen payment option and term",
        ))
    return failures


def price_guard_failures(price: Any) -> list[Failure]:
    """An ``expected_price`` (an order's or a renewal's): a currency and at least one amount, each well formed."""
    needs = "currency plus upfront_price and/or monthly_recurring_price"
    if not isinstance(price, Mapping):
        return [Failure("expected_price", f"expected_price must be an object with {needs} (got {price!r})")]
    failures = [
        Failure(f"expected_price.{key}", f"unknown key {key!r}: expected_price has {', '.join(PRICE_INPUTS)}")
        for key in price
        if key not in PRICE_INPUTS
    ]
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


ORDER_SCHEMA = Schema((
    Field("outpost_identifier", Kind.REPLACES, "OutpostIdentifier", same_order=True),
    Field("line_items", Kind.REPLACES, "LineItems", _line_item_keys, same_order=True),
    Field("payment_option", Kind.REPLACES, "PaymentOption", same_order=True),
    Field("payment_term", Kind.REPLACES, "PaymentTerm", same_order=True),
    Field("quote_identifier", Kind.REPLACES, "QuoteIdentifier", same_order=True),
    Field("quote_option_identifier", Kind.REPLACES, "QuoteOptionIdentifier", same_order=True),
    Field("region", Kind.REPLACES, check=check_region),
    Field("profile", Kind.IN_PLACE, check=check_profile),
    Field("adopt_order_id", Kind.CREATE_ONLY, check=_adopt_order_id),
    Field("distinct_from_order_ids", Kind.IN_PLACE, check=_distinct_from),
    Field("retain_on_delete", Kind.IN_PLACE, check=_retain, declared=False),
    Field("placement_key", Kind.IN_PLACE, declared=False),
    Field("expected_price", Kind.IN_PLACE, check=_expected_price),
    # Outputs: the GetOrder ``Order`` members that are no input (every member is an output, flattened).
    Field("order_id", Kind.OUTPUT, "OrderId"),
    Field("status", Kind.OUTPUT, "Status"),
    Field("order_type", Kind.OUTPUT, "OrderType"),
    Field("outpost_id", Kind.OUTPUT, "OutpostId"),
    Field("order_submission_date", Kind.OUTPUT, "OrderSubmissionDate"),
    Field("order_fulfilled_date", Kind.OUTPUT, "OrderFulfilledDate"),
    Field("account_id", Kind.OUTPUT),  # STS GetCallerIdentity of the credentials in use
))
ORDER_INPUTS = ORDER_SCHEMA.inputs
"""Every input → its CreateOrder member (``None``: used by the provider only, never sent to AWS)."""
IN_PLACE_INPUTS = ORDER_SCHEMA.named(Kind.IN_PLACE)
"""Inputs whose change is an in-place update with no API call."""

LINE_ITEM_INPUTS: dict[str, str] = {"catalog_item_id": "CatalogItemId", "quantity": "Quantity"}
# expected_price mirrors the quote's SubscriptionPricingDetails (Currency, UpfrontPrice, MonthlyRecurringPrice).
PRICE_AMOUNTS = ("upfront_price", "monthly_recurring_price")
PRICE_INPUTS = ("currency", *PRICE_AMOUNTS)

_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}\Z")


# --- validation ----------------------------------------------------------------------------------
def check_inputs(props: Mapping[str, Any]) -> list[Failure]:
    """Every broken rule in ``props`` (declared inputs); unknown values pass."""
    failures = ORDER_SCHEMA.checks(props, provider_only=False)
    params, unknown = _api_params(props)
    for violation in validate_input("CreateOrder", params):
        if not under_unknown(violation.path, unknown):
            failures.append(_as_failure(violation))
    failures += ORDER_SCHEMA.checks(props, provider_only=True)
    failures += _cross_field(props)
    failures += _implausible_quantities(props)
    return failures


# Stack config: the most units of one catalog item a line may order before preview refuses it as a
# likely typo (1,000,000 racks). The service's own limits are far above what anyone orders by hand.
MAX_UNITS_CONFIG = "outposts-orders:maxUnitsPerLine"
DEFAULT_MAX_UNITS_PER_LINE = 20
INT32_MAX = 2**31 - 1  # above it the model's own rule (a 32-bit integer on the wire) speaks
MAX_UNITS_PER_LINE: list[int] = [DEFAULT_MAX_UNITS_PER_LINE]  # set per provider process by ``configure``


def max_units_per_line(value: Any) -> int:
    """The limit that stack config ``MAX_UNITS_CONFIG`` sets; ``ValueError`` naming the setting for a bad value."""
    if value is None:
        return DEFAULT_MAX_UNITS_PER_LINE
    try:
        limit = int(str(value))
    except ValueError:
        limit = 0
    if limit < 1:
        raise ValueError(f"{MAX_UNITS_CONFIG} must be a whole number of units >= 1 (got {value!r})")
    return limit


def _implausible_quantities(props: Mapping[str, Any]) -> list[Failure]:
    items = props.get("line_items")
    if not isinstance(items, list | tuple):
        return []
    limit = MAX_UNITS_PER_LINE[0]
    failures = []
    for index, item in enumerate(items):
        quantity = item.get("quantity") if isinstance(item, Mapping) else None
        if isinstance(quantity, int | float) and not isinstance(quantity, bool) and limit < quantity <= INT32_MAX:
            path = f"line_items[{index}].quantity"
            failures.append(Failure(path, (
                f"{path}: {whole(quantity)} units in one line is above this stack's limit of {limit} "
                f"(stack config {MAX_UNITS_CONFIG}); if this many is intended, raise it: "
                f"`pulumi config set {MAX_UNITS_CONFIG} {whole(quantity)}`")))
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


def _as_failure(violation: Violation) -> Failure:
    where = property_path(violation.path)
    return Failure(
        where, violation.message.replace(violation.path, where) if violation.path else violation.message
    )


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

    "The same order" is ``OrderSpec`` (the schema's ``same_order`` inputs); the other inputs that replace
    (``region``: where the order lives) are compared as values, and an omitted one accepts the recorded
    value. An unknown value counts as different.
    """
    found = [Difference(name, mine, theirs)
             for name, mine, theirs in OrderSpec.declared(declared).differences(OrderSpec.of_order(recorded))]
    for name in _REPLACING_BESIDES_ORDER:
        value = declared.get(name)
        if value is not None and (is_unknown(value) or value != recorded.get(name)):
            found.append(Difference(name, value, recorded.get(name)))
    return found


_REPLACING_BESIDES_ORDER = tuple(n for n in ORDER_SCHEMA.named(Kind.REPLACES) if n not in ORDER_SCHEMA.same_order)


def list_differences(differences_: list[Difference]) -> str:
    """One line per difference: ``payment_option: declared 'ALL_UPFRONT', order has 'NO_UPFRONT'``."""
    return "\n".join(
        f"  {d.property}: declared {_shown(d.declared)}, order has {_shown(d.recorded)}" for d in differences_
    )


def _shown(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(f"{item} x{quantity}" for item, quantity in value) or "(none)"
    return "(not set)" if value is None else repr(value)
