"""AmazonBusinessOrder inputs: the schema, every rule checked locally (no call), the placeOrder request, the outputs.

Rules: the Ordering model's (``externalId`` lengths, 1 to 50 line items, quantity >= 1, within int32,
a product reference, a distribution's name and 1 to 15 segments of 1 to 255 characters) and the
cross-field ones (a line's expectations and distributions in one currency, all lines in one currency,
a line's expected charge equal to its unit price times its quantity and to the sum of its
distributions, line-item external IDs unique, an email for the buyer).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping
from typing import Any

from pulumi_outposts_orders._dynamic import Failure
from pulumi_outposts_orders._schema import Check, Field, Kind, Schema
from pulumi_outposts_orders._unknowns import contains_unknown, is_unknown
from pulumi_outposts_orders.amazon_business.client import api_region
from pulumi_outposts_orders.money import money, same_amount, subtotal

PAYMENT_METHODS = ("StoredPaymentMethod",)
INT32_MAX = 2**31 - 1
_ASIN = re.compile(r"^[A-Z0-9]{10}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


# --- checks of the inputs ------------------------------------------------------------------------
def _buyer_email(email: Any, _props: Mapping[str, Any]) -> list[Failure]:
    if isinstance(email, str) and _EMAIL.match(email):
        return []
    return [Failure("buyer_email", "buyer_email is required: the buyer's Amazon Business email")]


def _marketplace(marketplace: Any, _props: Mapping[str, Any]) -> list[Failure]:
    """The marketplace's country code (Amazon's ``Region`` attribute): it picks the API region and its host."""
    if not (isinstance(marketplace, str) and _COUNTRY.match(marketplace)):
        return [Failure("marketplace", "marketplace is required: the two-letter country code of an Amazon "
                                       "Business marketplace, such as US or DE")]
    try:
        api_region(marketplace)
    except ValueError as error:
        return [Failure("marketplace", str(error))]
    return []


def _text(name: str, limit: int) -> Check:
    """The check of input ``name``: a string of 1 to ``limit`` characters."""
    def check(value: Any, _props: Mapping[str, Any]) -> list[Failure]:
        if isinstance(value, str) and 1 <= len(value) <= limit:
            return []
        return [Failure(name, f"{name} must be a string of 1 to {limit} characters")]
    return check


def _payment_method(method: Any, _props: Mapping[str, Any]) -> list[Failure]:
    if method in PAYMENT_METHODS:
        return []
    return [Failure("payment_method", f"payment_method must be one of {', '.join(PAYMENT_METHODS)}")]


def _trial_mode(trial: Any, _props: Mapping[str, Any]) -> list[Failure]:
    return [] if isinstance(trial, bool) else [Failure("trial_mode", "trial_mode must be true or false")]


def _generation(generation: Any, _props: Mapping[str, Any]) -> list[Failure]:
    if (isinstance(generation, bool) or not isinstance(generation, int | float) or generation != int(generation)
            or not 1 <= generation <= INT32_MAX):
        return [Failure("generation", "generation must be a whole number >= 1")]
    return []


def _line_items(items: Any, _props: Mapping[str, Any]) -> list[Failure]:
    if not isinstance(items, list | tuple) or not 1 <= len(items) <= 50:
        return [Failure("line_items", "line_items must be a list of 1 to 50 line items")]
    failures: list[Failure] = []
    seen: dict[str, int] = {}
    order_currency: tuple[str, str] | None = None
    for index, item in enumerate(items):
        where = f"line_items[{index}]"
        if is_unknown(item):
            continue
        if not isinstance(item, Mapping):
            failures.append(Failure(where, f"{where} must be an object with {', '.join(LINE_ITEM_KEYS)}"))
            continue
        failures += [Failure(f"{where}.{k}", f"unknown key {k!r}: a line item has {', '.join(LINE_ITEM_KEYS)}")
                     for k in item if k not in LINE_ITEM_KEYS]
        asin = item.get("asin")
        if not is_unknown(asin) and not (isinstance(asin, str) and _ASIN.match(asin)):
            failures.append(Failure(f"{where}.asin", "an ASIN is required: 10 capital letters or digits"))
        option = item.get("buying_option_id")
        if not is_unknown(option) and not (isinstance(option, str) and 1 <= len(option) <= 1024):
            failures.append(Failure(f"{where}.buying_option_id", "the buying option ID is required"))
        quantity = item.get("quantity")
        if not is_unknown(quantity) and (isinstance(quantity, bool) or not isinstance(quantity, int | float)
                                         or quantity != int(quantity) or not 1 <= quantity <= INT32_MAX):
            failures.append(Failure(f"{where}.quantity", f"quantity must be a whole number from 1 to {INT32_MAX}"))
        external = item.get("external_id", f"line-item-{index + 1}")
        if not is_unknown(external):
            if not (isinstance(external, str) and 1 <= len(external) <= 127):
                failures.append(Failure(f"{where}.external_id", "external_id must be 1 to 127 characters"))
            elif external in seen:
                failures.append(Failure(f"{where}.external_id", f"external_id {external!r} is also line_items"
                                        f"[{seen[external]}]'s: line-item external IDs must be unique"))
            else:
                seen[external] = index
        currencies: list[tuple[str, str]] = []
        for name in EXPECTATIONS:
            amount = item.get(name)
            if amount is None or is_unknown(amount):
                continue
            failure, currency = _amount(f"{where}.{name}", amount)
            failures += failure
            if currency is not None:
                currencies.append((f"{where}.{name}.currency", currency))
        failures += _subtotal(where, item)
        failures += _distributions(where, item, currencies[0] if currencies else None)
        if len({c for _, c in currencies}) > 1:
            (first, a), (second, b) = currencies
            failures.append(Failure(second, f"{second} is {b} but {first} is {a}: one line's expectations "
                                    "are in one currency"))
        elif currencies:
            if order_currency is not None and order_currency[1] != currencies[0][1]:
                failures.append(Failure(currencies[0][0], f"{currencies[0][0]} is {currencies[0][1]} but "
                                        f"{order_currency[0]} is {order_currency[1]}: an order is in one currency"))
            order_currency = order_currency or currencies[0]
    return failures


def _subtotal(where: str, item: Mapping[str, Any]) -> list[Failure]:
    """``expected_charge`` (source SUBTOTAL) is ``expected_unit_price`` times ``quantity``, when all are given."""
    unit, charge, quantity = item.get("expected_unit_price"), item.get("expected_charge"), item.get("quantity")
    if not (isinstance(unit, Mapping) and isinstance(charge, Mapping)) or contains_unknown([unit, charge, quantity]):
        return []
    numbers = [float(n) for n in (unit.get("amount"), charge.get("amount"), quantity)
               if isinstance(n, int | float) and not isinstance(n, bool) and math.isfinite(n)]
    if len(numbers) != 3:
        return []  # reported by the other rules
    if unit.get("currency") != charge.get("currency"):
        return []  # reported as a currency mismatch
    unit_amount, charge_amount, count = numbers
    implied = subtotal(unit_amount, count)
    if not same_amount(charge_amount, implied):
        return [Failure(f"{where}.expected_charge.amount", f"{where}.expected_charge.amount is {charge['amount']} "
                        f"but expected_unit_price x quantity is {implied:.2f}: the charge is the line's subtotal, "
                        "and Amazon would refuse the line")]
    return []


def _distributions(where: str, item: Mapping[str, Any], line_currency: tuple[str, str] | None) -> list[Failure]:
    """A line's ``distributions``: each well formed, all in the line's currency (``line_currency``: the path
    and currency of its expectations, else the first distribution's), summing to its ``expected_charge``."""
    distributions = item.get("distributions")
    if distributions is None or is_unknown(distributions):
        return []
    if not isinstance(distributions, list | tuple) or not distributions:
        return [Failure(f"{where}.distributions", f"{where}.distributions must be a list of at least one "
                        f"distribution {{{', '.join(DISTRIBUTION_KEYS)}}}")]
    failures: list[Failure] = []
    amounts: list[float] = []
    for index, distribution in enumerate(distributions):
        at = f"{where}.distributions[{index}]"
        if is_unknown(distribution):
            continue
        failure, amount, currency = _distribution(at, distribution)
        failures += failure
        if currency is not None and line_currency is not None and currency != line_currency[1]:
            failures.append(Failure(f"{at}.amount.currency", f"{at}.amount.currency is {currency} but "
                                    f"{line_currency[0]} is {line_currency[1]}: a line's expectations and "
                                    "distributions are in one currency"))
        line_currency = line_currency or ((f"{at}.amount.currency", currency) if currency else None)
        if amount is not None:
            amounts.append(amount)
    return failures or _distributed(where, item, amounts, len(distributions))


def _distribution(at: str, distribution: Any) -> tuple[list[Failure], float | None, str | None]:
    """One distribution's failures, and its amount and currency when they are known and valid."""
    if not isinstance(distribution, Mapping):
        return [Failure(at, f"{at} must be an object with {', '.join(DISTRIBUTION_KEYS)}")], None, None
    failures = [Failure(f"{at}.{k}", f"unknown key {k!r}: a distribution has {', '.join(DISTRIBUTION_KEYS)}")
                for k in distribution if k not in DISTRIBUTION_KEYS]
    failures += _string(f"{at}.name", distribution.get("name"))
    segments = distribution.get("segments")
    if not is_unknown(segments) and not (isinstance(segments, list | tuple) and 1 <= len(segments) <= 15):
        failures.append(Failure(f"{at}.segments", f"{at}.segments must be a list of 1 to 15 segments "
                                f"{{{', '.join(SEGMENT_KEYS)}}}"))
    elif isinstance(segments, list | tuple):
        for index, segment in enumerate(segments):
            failures += _segment(f"{at}.segments[{index}]", segment)
    amount = distribution.get("amount")
    if amount is None:
        failures.append(Failure(f"{at}.amount", f"{at}.amount is required: {{{', '.join(MONEY_KEYS)}}}"))
    if amount is None or is_unknown(amount):
        return failures, None, None
    failure, currency = _amount(f"{at}.amount", amount)
    value = amount.get("amount") if isinstance(amount, Mapping) and not failure else None
    return failures + failure, None if value is None or is_unknown(value) else float(value), currency


def _segment(at: str, segment: Any) -> list[Failure]:
    """One accounting segment: ``id``, ``type`` and ``description``, each 1 to 255 characters."""
    if is_unknown(segment):
        return []
    if not isinstance(segment, Mapping):
        return [Failure(at, f"{at} must be an object with {', '.join(SEGMENT_KEYS)}")]
    return [*(Failure(f"{at}.{k}", f"unknown key {k!r}: a segment has {', '.join(SEGMENT_KEYS)}")
              for k in segment if k not in SEGMENT_KEYS),
            *(f for k in SEGMENT_KEYS for f in _string(f"{at}.{k}", segment.get(k)))]


def _string(at: str, value: Any) -> list[Failure]:
    """``value`` at ``at``: a string of 1 to 255 characters (required), or unknown."""
    if is_unknown(value) or (isinstance(value, str) and 1 <= len(value) <= 255):
        return []
    return [Failure(at, f"{at} is required: a string of 1 to 255 characters")]


def _distributed(where: str, item: Mapping[str, Any], amounts: list[float], count: int) -> list[Failure]:
    """Line ``where``'s distributions (``amounts``, of ``count``: all valid) sum to its ``expected_charge``, to the
    cent."""
    charge = item.get("expected_charge")
    if len(amounts) != count or not isinstance(charge, Mapping) or contains_unknown(charge):
        return []
    value = charge.get("amount")
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return []  # reported by the expectation's rules
    total = math.fsum(amounts)
    if same_amount(total, value):
        return []
    currency = charge.get("currency")
    return [Failure(f"{where}.distributions", f"{where}.distributions amounts sum to {money(total, currency)} but "
                    f"{where}.expected_charge is {money(value, currency)}: a line's distributions split its charge, "
                    "so they must sum to it exactly (to the cent)")]


def _amount(where: str, amount: Any) -> tuple[list[Failure], str | None]:
    if not isinstance(amount, Mapping):
        return [Failure(where, f"{where} must be {{currency, amount}}")], None
    failures = [Failure(f"{where}.{k}", f"unknown key {k!r}: give {' and '.join(MONEY_KEYS)}") for k in amount
                if k not in MONEY_KEYS]
    value, currency = amount.get("amount"), amount.get("currency")
    if not is_unknown(value) and (isinstance(value, bool) or not isinstance(value, int | float)
                                  or not math.isfinite(value) or value < 0):
        failures.append(Failure(f"{where}.amount", "amount must be a finite number >= 0"))
    if is_unknown(currency):
        return failures, None
    if not (isinstance(currency, str) and _CURRENCY.match(currency)):
        failures.append(Failure(f"{where}.currency", "currency must be an ISO 4217 code such as USD"))
        return failures, None
    return failures, currency


def _address(address: Any, _props: Mapping[str, Any]) -> list[Failure]:
    if not isinstance(address, Mapping):
        return [Failure("shipping_address", "shipping_address is required")]
    failures = [Failure(f"shipping_address.{k}", f"unknown key {k!r}: an address has {', '.join(ADDRESS_KEYS)}")
                for k in address if k not in ADDRESS_KEYS]
    for key in ADDRESS_REQUIRED:
        value = address.get(key)
        if not is_unknown(value) and not (isinstance(value, str) and value.strip()):
            failures.append(Failure(f"shipping_address.{key}", f"shipping_address.{key} is required"))
    country = address.get("country_code")
    if isinstance(country, str) and country and not _COUNTRY.match(country):
        failures.append(Failure("shipping_address.country_code", "country_code is two capital letters, e.g. US"))
    return failures


# --- schema --------------------------------------------------------------------------------------
# Every AmazonBusinessOrder property, once. Inputs with an API member are sent in placeOrder: the member is
# the request's attribute (``attributeType``) or, for line items, its own member. A placed order can be
# neither changed nor cancelled, so every change to what is ordered replaces it (placing a new order;
# check refuses one unless ``generation`` is raised with it). ``generation`` is provider-only: it is part
# of the order's ``externalId``. ``order_key`` (set by ``AmazonBusinessOrder``) names the resource; a new
# key (a rename carried by ``identity``) is an update with no call. ``marketplace`` was called ``region``
# (state written before the rename, programs still passing ``region=``: ``Schema.renamed``). Outputs are
# computed by the provider from Amazon's answer (``line_item_results``: its ``lineItems``).
AMAZON_BUSINESS_SCHEMA = Schema((
    Field("line_items", Kind.REPLACES, "lineItems", _line_items, required=True),
    Field("shipping_address", Kind.REPLACES, "ShippingAddress", _address, required=True),
    Field("buyer_email", Kind.REPLACES, "BuyerReference", _buyer_email, required=True),
    Field("marketplace", Kind.REPLACES, "Region", _marketplace, required=True, aliases=("region",)),
    Field("purchase_order_number", Kind.REPLACES, "PurchaseOrderNumber", _text("purchase_order_number", 255)),
    Field("buying_group", Kind.REPLACES, "BuyingGroupReference", _text("buying_group", 255)),
    Field("payment_method", Kind.REPLACES, "SelectedPaymentMethodReference", _payment_method),
    Field("trial_mode", Kind.REPLACES, "TrialMode", _trial_mode),
    Field("generation", Kind.REPLACES, check=_generation),
    Field("order_key", Kind.IN_PLACE, declared=False),
    Field("external_id", Kind.OUTPUT, "externalId"),
    Field("order_generation", Kind.OUTPUT),  # the generation placed (check's, from ``generation``)
    Field("line_item_results", Kind.OUTPUT, "lineItems"),
    Field("delivery_status", Kind.OUTPUT),  # a summary of the order reports and packages (``results``)
    Field("total", Kind.OUTPUT),  # the sum of the lines' subtotals
    Field("charges", Kind.OUTPUT),  # subtotal, tax, shipping, discount and total, kept apart
    Field("currency", Kind.OUTPUT),  # the lines' currency, when they have one
    Field("placed_at", Kind.OUTPUT),  # when this stack placed it (ISO 8601, UTC): where order reports look
))
"""The resource's properties; each nested input's members are in a table of its own below."""
REPLACED_BY = AMAZON_BUSINESS_SCHEMA.named(Kind.REPLACES)
"""What is ordered: a change places a new order (a replacement)."""
IN_PLACE_INPUTS = AMAZON_BUSINESS_SCHEMA.named(Kind.IN_PLACE)
"""Inputs whose change is an in-place update with no call."""

# The members of the nested inputs: each one's API member in placeOrder (a line item's attribute or
# expectation type, or its own member; an address's ``PhysicalAddress`` member; an amount's member).
LINE_ITEM_SCHEMA = Schema((
    Field("asin", Kind.REPLACES, "SelectedProductReference", required=True),
    Field("buying_option_id", Kind.REPLACES, "SelectedBuyingOptionReference", required=True),
    Field("quantity", Kind.REPLACES, "quantity", required=True),
    Field("external_id", Kind.REPLACES, "externalId"),
    Field("expected_unit_price", Kind.REPLACES, "ExpectedUnitPrice"),
    Field("expected_charge", Kind.REPLACES, "ExpectedCharge"),
    Field("distributions", Kind.REPLACES, "Distribution"),  # one line attribute per distribution
))
# A distribution's members: its ``Accounting`` (``name``, ``segments``) and its ``Charge_2`` (``amount``).
DISTRIBUTION_SCHEMA = Schema((
    Field("name", Kind.REPLACES, "accounting.name", required=True),
    Field("segments", Kind.REPLACES, "accounting.segments", required=True),
    Field("amount", Kind.REPLACES, "charge.amount", required=True),
))
SEGMENT_SCHEMA = Schema((
    Field("id", Kind.REPLACES, "id", required=True),
    Field("type", Kind.REPLACES, "type", required=True),
    Field("description", Kind.REPLACES, "description", required=True),
))
ADDRESS_SCHEMA = Schema((
    Field("full_name", Kind.REPLACES, "fullName", required=True),
    Field("address_line1", Kind.REPLACES, "addressLine1", required=True),
    Field("address_line2", Kind.REPLACES, "addressLine2"),
    Field("city", Kind.REPLACES, "city", required=True),
    Field("state_or_region", Kind.REPLACES, "stateOrRegion"),
    Field("postal_code", Kind.REPLACES, "postalCode", required=True),
    Field("country_code", Kind.REPLACES, "countryCode", required=True),
    Field("phone_number", Kind.REPLACES, "phoneNumber"),
    Field("company_name", Kind.REPLACES, "companyName"),
))
MONEY_SCHEMA = Schema((
    Field("currency", Kind.REPLACES, "currencyCode", required=True),
    Field("amount", Kind.REPLACES, "amount", required=True),
))
LINE_ITEM_KEYS = LINE_ITEM_SCHEMA.parameters
EXPECTATIONS = tuple(f.name for f in LINE_ITEM_SCHEMA.fields if f.api and f.api.startswith("Expected"))
"""A line item's price expectations (each a ``MONEY_SCHEMA`` amount)."""
ADDRESS_KEYS = ADDRESS_SCHEMA.parameters
ADDRESS_REQUIRED = tuple(f.name for f in ADDRESS_SCHEMA.fields if f.required)
MONEY_KEYS = MONEY_SCHEMA.parameters
DISTRIBUTION_KEYS = DISTRIBUTION_SCHEMA.parameters
SEGMENT_KEYS = SEGMENT_SCHEMA.parameters


def check_inputs(props: Mapping[str, Any]) -> list[Failure]:
    """Every broken rule in ``props``, in table order; unknown values (preview) pass."""
    return (AMAZON_BUSINESS_SCHEMA.checks(props, provider_only=False)
            + AMAZON_BUSINESS_SCHEMA.checks(props, provider_only=True))


def renamed(props: Mapping[str, Any]) -> dict[str, Any]:
    """``props`` (a program's, or state written by any version) with every property under its name now."""
    return AMAZON_BUSINESS_SCHEMA.renamed(props)


def changed(olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[str]:
    """The order inputs whose values differ (``generation`` absent counts as 1; a former name is its name now)."""
    old, new = renamed(olds), renamed(news)

    def value(props: Mapping[str, Any], name: str) -> Any:
        return props.get(name) or 1 if name == "generation" else props.get(name)
    return [name for name in REPLACED_BY if value(new, name) != value(old, name)]


def unchangeable(olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[Failure]:
    """A change to a placed order without a raised ``generation`` (unknown values pass: up checks again)."""
    news = renamed(news)
    generation = news.get("generation") or 1
    placed = int(olds.get("order_generation") or 1)
    if is_unknown(generation) or generation != placed:
        return []
    return [Failure(name, f"{name} differs from the Amazon Business order placed as generation {placed}, which "
                    "can be neither changed nor cancelled through the API. To keep that order, restore "
                    f"{name} as it was; to place a second order beside it (the first continues), also set "
                    f"generation to {placed + 1}")
            for name in changed(olds, news) if name != "generation" and not contains_unknown(news.get(name))]


# --- the request ---------------------------------------------------------------------------------
def external_id(order_key: str, generation: int) -> str:
    """The order's ``externalId``: the same for the same resource and generation, on any machine."""
    return "pulumi-" + hashlib.sha256(f"{order_key}#{generation}".encode()).hexdigest()[:48]


def place_request(props: Mapping[str, Any], external: str) -> dict[str, Any]:
    """The placeOrder body; deterministic in the inputs (so a retry sends the same body)."""
    lines = []
    for index, item in enumerate(props["line_items"]):
        expectations: list[dict[str, Any]] = []
        for name in EXPECTATIONS:
            if item.get(name):
                kind = LINE_ITEM_SCHEMA.inputs[name]
                expectations.append({"expectationType": kind, "amount": _money(item[name]),
                                     **({"source": "SUBTOTAL"} if kind == "ExpectedCharge" else {})})
        lines.append({
            "externalId": item.get("external_id") or f"line-item-{index + 1}",
            "quantity": int(item["quantity"]),
            "attributes": [
                {"attributeType": "SelectedProductReference",
                 "productReference": {"productReferenceType": "ProductIdentifier", "id": item["asin"]}},
                {"attributeType": "SelectedBuyingOptionReference",
                 "buyingOptionReference": {"buyingOptionReferenceType": "BuyingOptionIdentifier",
                                           "id": item["buying_option_id"]}},
                *(_distribution_attribute(d) for d in item.get("distributions") or ()),
            ],
            "expectations": expectations,
        })
    address = props["shipping_address"]
    attributes: list[dict[str, Any]] = [
        {"attributeType": "BuyerReference",
         "userReference": {"userReferenceType": "UserEmail", "emailAddress": props["buyer_email"]}},
        {"attributeType": "Region", "region": props["marketplace"]},
        {"attributeType": "SelectedPaymentMethodReference", "paymentMethodReference": {
            "paymentMethodReferenceType": props.get("payment_method") or "StoredPaymentMethod"}},
        {"attributeType": "ShippingAddress", "address": {
            "addressType": "PhysicalAddress",
            **{ADDRESS_SCHEMA.inputs[k]: v for k, v in address.items() if v is not None}}},
    ]
    if props.get("purchase_order_number"):
        attributes.append({"attributeType": "PurchaseOrderNumber",
                           "purchaseOrderNumber": props["purchase_order_number"]})
    if props.get("buying_group"):
        attributes.append({"attributeType": "BuyingGroupReference", "groupReference": {
            "groupReferenceType": "GroupIdentity", "identifier": props["buying_group"]}})
    if props.get("trial_mode"):
        attributes.append({"attributeType": "TrialMode"})
    # Order-level expectations are required by the model; each line states its own (none apply to all lines).
    return {"externalId": external, "lineItems": lines, "attributes": attributes, "expectations": []}


def _money(amount: Mapping[str, Any]) -> dict[str, Any]:
    return {"currencyCode": amount["currency"], "amount": float(amount["amount"])}


def _distribution_attribute(distribution: Mapping[str, Any]) -> dict[str, Any]:
    """A ``distributions`` entry as the line's ``Distribution`` attribute (members per ``DISTRIBUTION_SCHEMA``)."""
    return {"attributeType": LINE_ITEM_SCHEMA.inputs["distributions"],
            "accounting": {"name": distribution["name"],
                           "segments": [{SEGMENT_SCHEMA.inputs[k]: s[k] for k in SEGMENT_KEYS}
                                        for s in distribution["segments"]]},
            "charge": {"amount": _money(distribution["amount"])}}
