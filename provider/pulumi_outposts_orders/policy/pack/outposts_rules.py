"""The spending rules of the ``outposts-orders`` policy pack, as plain functions of a resource's inputs.

The engine runs them through the pack (``__main__.py``, in the pack's own virtualenv), and
``outposts-orders review`` runs the price caps on the prices only it can read (quotes without an
``expected_price``). This module uses the standard library only: the pack's virtualenv has no
``pulumi_outposts_orders``. Each rule returns its violations, each naming the resource, the value and
the limit; an empty list means the rule holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# The engine's type tokens of the package's resources (tests check them against the resource classes).
ORDER_TYPE = "pulumi-python:dynamic/outposts:OutpostOrder"
RENEWAL_TYPE = "pulumi-python:dynamic/outposts:OutpostRenewal"
AMAZON_BUSINESS_TYPE = "pulumi-python:dynamic/amazonbusiness:AmazonBusinessOrder"

TERM_MONTHS = {"ONE_YEAR": 12, "THREE_YEARS": 36, "FIVE_YEARS": 60}
DEFAULT_CURRENCY = "USD"
_OUTPOST_ARN = re.compile(r"^arn:aws[a-z-]*:outposts:[a-z0-9-]+:\d{12}:outpost/(op-[a-f0-9]{8,17})$")


@dataclass(frozen=True)
class Price:
    """What an order or renewal costs, as far as its inputs say: ``None`` for what they cannot tell."""

    currency: str
    upfront: float | None
    total: float | None
    """Upfront plus every monthly payment of the term."""


@dataclass(frozen=True)
class Resource:
    """One resource of a stack, for the stack rules: its type, name and inputs or outputs."""

    type: str
    name: str
    props: Mapping[str, Any]


def money(amount: float, currency: str) -> str:
    """``12,345.00 USD``."""
    return f"{amount:,.2f} {currency}"


def outpost_id(identifier: Any) -> str:
    """The Outpost's ID whichever form names it (``op-…`` or its ARN), so an allow-list matches either."""
    text = str(identifier).strip()
    found = _OUTPOST_ARN.match(text)
    return found.group(1) if found else text


def _amount(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def is_quote_order(resource_type: str, props: Mapping[str, Any]) -> bool:
    """An OutpostOrder placed from a quote."""
    return resource_type == ORDER_TYPE and props.get("quote_identifier") is not None


def price(resource_type: str, props: Mapping[str, Any]) -> Price | None:
    """The price an order, renewal or Amazon Business order will have, from its inputs (``expected_price`` or
    the lines' expectations, which the provider enforces); ``None`` when they state none."""
    if resource_type in (ORDER_TYPE, RENEWAL_TYPE):
        expected = props.get("expected_price")
        if not isinstance(expected, Mapping):
            return None
        currency = str(expected.get("currency") or DEFAULT_CURRENCY)
        upfront, monthly = _amount(expected.get("upfront_price")), _amount(expected.get("monthly_recurring_price"))
        months = TERM_MONTHS.get(str(props.get("payment_term")))
        total = None
        if upfront is not None or monthly is not None:
            if not monthly:
                total = upfront or 0.0
            elif months is not None:
                total = (upfront or 0.0) + monthly * months
        return Price(currency, upfront, total)
    if resource_type == AMAZON_BUSINESS_TYPE:
        lines = props.get("line_items")
        if not isinstance(lines, Sequence) or not lines:
            return None
        currencies, total = set(), 0.0
        for line in lines:
            charge = _line_charge(line)
            if charge is None:
                return None
            currencies.add(charge[1])
            total += charge[0]
        if len(currencies) != 1:
            return None
        return Price(currencies.pop(), total, total)
    return None


def _line_charge(line: Any) -> tuple[float, str] | None:
    """A line's expected charge (``expected_charge``, else ``expected_unit_price`` times quantity)."""
    if not isinstance(line, Mapping):
        return None
    charge, unit = line.get("expected_charge"), line.get("expected_unit_price")
    if isinstance(charge, Mapping) and _amount(charge.get("amount")) is not None:
        return float(charge["amount"]), str(charge.get("currency"))
    quantity = _amount(line.get("quantity"))
    if isinstance(unit, Mapping) and _amount(unit.get("amount")) is not None and quantity is not None:
        return round(float(unit["amount"]) * quantity, 2), str(unit.get("currency"))
    return None


def _names(config: Mapping[str, Any], key: str) -> list[str] | None:
    values = config.get(key)
    return [str(v) for v in values] if isinstance(values, list) and values else None


def _what(resource_type: str, name: str) -> str:
    kind = {ORDER_TYPE: "OutpostOrder", RENEWAL_TYPE: "OutpostRenewal",
            AMAZON_BUSINESS_TYPE: "AmazonBusinessOrder"}.get(resource_type, resource_type)
    return f"{kind} {name!r}"


# --- resource rules -------------------------------------------------------------------------------------------

def expected_price_required(resource_type: str, name: str, props: Mapping[str, Any],
                            _config: Mapping[str, Any] | None = None) -> list[str]:
    """A quote-based order and a renewal state the approved price (``expected_price``); an adoption
    (``adopt_order_id``) places nothing and needs none."""
    if not (is_quote_order(resource_type, props) or resource_type == RENEWAL_TYPE) or props.get("adopt_order_id"):
        return []
    expected = props.get("expected_price")
    if isinstance(expected, Mapping) and (expected.get("upfront_price") is not None
                                          or expected.get("monthly_recurring_price") is not None):
        return []
    subject = f"quote {props.get('quote_identifier')}" if resource_type == ORDER_TYPE else "the renewal"
    return [f"{_what(resource_type, name)} states no expected_price: the price of {subject} must be stated "
            "(expected_price with upfront_price and/or monthly_recurring_price), so that a price other than the "
            "approved one places nothing"]


def price_cap(what: str, found: Price, config: Mapping[str, Any], total: str = "total over the term") -> list[str]:
    """``found`` within ``max_upfront`` and ``max_total`` (in ``currency``, default USD) of ``config``; ``total``
    names the total (an Amazon Business order has no term)."""
    currency = str(config.get("currency") or DEFAULT_CURRENCY)
    violations = []
    for key, label, amount in (("max_upfront", "upfront", found.upfront), ("max_total", total, found.total)):
        limit = _amount(config.get(key))
        if limit is None:
            continue
        if found.currency != currency:
            violations.append(f"{what} is priced in {found.currency}, but the cap {key} is in {currency}: it "
                              "cannot be checked")
        elif amount is None:
            violations.append(f"{what}: its {label} cannot be known from its inputs (a monthly price without a "
                              f"payment_term), so it cannot be shown to be within {key} {money(limit, currency)}")
        elif amount > limit + 0.005:
            violations.append(f"{what} costs {money(amount, currency)} {label}, above the cap {key} "
                              f"{money(limit, currency)}")
    return violations


def order_price_cap(resource_type: str, name: str, props: Mapping[str, Any], config: Mapping[str, Any]) -> list[str]:
    """An order, renewal or Amazon Business order whose price its inputs state is within the per-order caps (an
    adoption places nothing: the stack cap still counts it)."""
    if props.get("adopt_order_id"):
        return []
    found = price(resource_type, props)
    total = "in total" if resource_type == AMAZON_BUSINESS_TYPE else "total over the term"
    return [] if found is None else price_cap(_what(resource_type, name), found, config, total)


def allowed_payment(resource_type: str, name: str, props: Mapping[str, Any], config: Mapping[str, Any]) -> list[str]:
    """Payment option and term among ``payment_options`` / ``payment_terms`` (when configured)."""
    if resource_type not in (ORDER_TYPE, RENEWAL_TYPE):
        return []
    violations = []
    for key, prop in (("payment_options", "payment_option"), ("payment_terms", "payment_term")):
        allowed = _names(config, key)
        value = props.get(prop)
        if allowed is not None and str(value) not in allowed:
            shown = "not given (the term AWS applies)" if value is None else repr(value)
            violations.append(f"{_what(resource_type, name)} has {prop} {shown}, which is not allowed: "
                              f"{key} is {', '.join(allowed)}")
    return violations


def allowed_outposts(resource_type: str, name: str, props: Mapping[str, Any], config: Mapping[str, Any]) -> list[str]:
    """The Outpost (by ID or ARN) is one of ``outposts`` (IDs or ARNs), when configured."""
    allowed = _names(config, "outposts")
    if resource_type not in (ORDER_TYPE, RENEWAL_TYPE) or allowed is None:
        return []
    value = props.get("outpost_identifier")
    if outpost_id(value) in {outpost_id(a) for a in allowed}:
        return []
    return [f"{_what(resource_type, name)} is for Outpost {value!r}, which is not allowed: outposts is "
            f"{', '.join(allowed)}"]


def allowed_items(resource_type: str, name: str, props: Mapping[str, Any], config: Mapping[str, Any]) -> list[str]:
    """Catalog items of line-item orders among ``catalog_items``; Amazon Business ASINs among ``asins``."""
    key, item_key = {ORDER_TYPE: ("catalog_items", "catalog_item_id"),
                     AMAZON_BUSINESS_TYPE: ("asins", "asin")}.get(resource_type, (None, None))
    allowed = _names(config, key) if key else None
    lines = props.get("line_items")
    if allowed is None or not isinstance(lines, Sequence):
        return []
    violations = []
    for index, line in enumerate(lines):
        value = line.get(item_key) if isinstance(line, Mapping) else None
        if str(value).strip().upper() not in {a.strip().upper() for a in allowed}:
            violations.append(f"{_what(resource_type, name)} line_items[{index}].{item_key} is {value!r}, which is "
                              f"not allowed: {key} is {', '.join(allowed)}")
    return violations


def amazon_business_expectations(resource_type: str, name: str, props: Mapping[str, Any],
                                 config: Mapping[str, Any]) -> list[str]:
    """Every Amazon Business line states its price (``expected_unit_price`` or ``expected_charge``), and the
    order's total is within ``max_total`` when configured."""
    if resource_type != AMAZON_BUSINESS_TYPE:
        return []
    lines = props.get("line_items")
    violations = []
    for index, line in enumerate(lines if isinstance(lines, Sequence) else []):
        if not isinstance(line, Mapping) or _line_charge(line) is None:
            asin = line.get("asin") if isinstance(line, Mapping) else None
            violations.append(f"{_what(resource_type, name)} line_items[{index}] ({asin}) states no expected price: "
                              "give expected_unit_price or expected_charge, so Amazon refuses the line if its price "
                              "moved")
    limit = _amount(config.get("max_total"))
    if limit is not None and not violations:
        violations += price_cap(_what(resource_type, name), price(resource_type, props) or Price("", None, None),
                                {"max_total": limit, "currency": config.get("currency")}, "in total")
    return violations


def retain_on_delete_kept(resource_type: str, name: str, props: Mapping[str, Any],
                          _config: Mapping[str, Any] | None = None) -> list[str]:
    """Every OutpostOrder is declared with the ``retain_on_delete`` resource option, so that removing it from a
    live order fails the preview (a policy sees the new inputs only, never the old state)."""
    if resource_type != ORDER_TYPE or props.get("retain_on_delete"):
        return []
    return [f"{_what(resource_type, name)} is declared without the resource option retain_on_delete: a `pulumi "
            "destroy`, its removal from the program or a replacement would cancel the order. Keep "
            "retain_on_delete=True (to cancel an order on purpose, make this rule advisory in that change's "
            "policy config)"]


# --- stack rules ----------------------------------------------------------------------------------------------

def stack_price_cap(resources: Iterable[Resource], config: Mapping[str, Any], stack: str | None) -> list[str]:
    """The stack's orders and renewals that can still cost money (not cancelled), summed, within the caps.

    Prices come from each resource's stated prices; one whose price cannot be known is named, so a cap is never
    passed by leaving prices out."""
    currency = str(config.get("currency") or DEFAULT_CURRENCY)
    upfront = total = 0.0
    unknown: list[str] = []
    counted = 0
    for resource in resources:
        if resource.type not in (ORDER_TYPE, RENEWAL_TYPE, AMAZON_BUSINESS_TYPE):
            continue
        if resource.props.get("status") == "CANCELLED" or (
                resource.type == AMAZON_BUSINESS_TYPE and resource.props.get("trial_mode")):
            continue
        found = price(resource.type, resource.props)
        if found is None or found.currency != currency or found.upfront is None or found.total is None:
            unknown.append(_what(resource.type, resource.name))
            continue
        counted += 1
        upfront += found.upfront
        total += found.total
    where = f"stack {stack!r}" if stack else "the stack"
    violations = []
    for key, label, amount in (("max_upfront", "upfront", upfront), ("max_total", "total over the terms", total)):
        limit = _amount(config.get(key))
        if limit is None:
            continue
        if amount > limit + 0.005:
            violations.append(f"{where} commits {money(amount, currency)} {label} over {counted} orders and "
                              f"renewals, above the cap {key} {money(limit, currency)}")
        elif unknown and not config.get("allow_unpriced"):
            violations.append(f"{where}: the {label} of {', '.join(unknown)} cannot be known from the inputs (no "
                              f"expected price in {currency}), so the stack cannot be shown to be within {key} "
                              f"{money(limit, currency)}; state the prices, or set allow_unpriced")
    return violations
