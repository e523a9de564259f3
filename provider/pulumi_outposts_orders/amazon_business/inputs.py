"""AmazonBusinessOrder inputs: every rule checked locally (no call), the placeOrder request, the outputs.

Rules: the Ordering model's (``externalId`` lengths, 1 to 50 line items, quantity >= 1, within int32,
a product reference) and the cross-field ones (a line's expectations in one currency, all lines in
one currency, a line's expected charge equal to its unit price times its quantity, line-item
external IDs unique, an email for the buyer).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping
from typing import Any

from pulumi_outposts_orders._unknowns import contains_unknown, is_unknown
from pulumi_outposts_orders.amazon_business.client import api_region
from pulumi_outposts_orders.outposts.provider_base import Failure

ORDER_INPUTS = ("line_items", "shipping_address", "purchase_order_number", "buyer_email", "buying_group",
                "region", "payment_method", "trial_mode", "generation")
"""What is ordered: a change places a new order (a replacement)."""
LINE_ITEM_KEYS = ("asin", "buying_option_id", "quantity", "external_id", "expected_unit_price", "expected_charge")
ADDRESS_KEYS = ("full_name", "address_line1", "address_line2", "city", "state_or_region", "postal_code",
                "country_code", "phone_number", "company_name")
ADDRESS_REQUIRED = ("full_name", "address_line1", "city", "postal_code", "country_code")
PAYMENT_METHODS = ("StoredPaymentMethod",)
INT32_MAX = 2**31 - 1
_ASIN = re.compile(r"^[A-Z0-9]{10}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


def check_inputs(props: Mapping[str, Any]) -> list[Failure]:
    """Every broken rule in ``props``; unknown values (preview) pass."""
    failures = _line_items(props.get("line_items"))
    failures += _address(props.get("shipping_address"))
    email = props.get("buyer_email")
    if not is_unknown(email) and not (isinstance(email, str) and _EMAIL.match(email)):
        failures.append(Failure("buyer_email", "buyer_email is required: the buyer's Amazon Business email"))
    region = props.get("region")
    if not is_unknown(region):
        if not (isinstance(region, str) and _COUNTRY.match(region)):
            failures.append(Failure("region", "region is required: a two-letter country code such as US or DE"))
        else:
            try:
                api_region(region)
            except ValueError as error:
                failures.append(Failure("region", str(error)))
    for name, limit in (("purchase_order_number", 255), ("buying_group", 255)):
        value = props.get(name)
        if value is not None and not is_unknown(value) and not (isinstance(value, str) and 1 <= len(value) <= limit):
            failures.append(Failure(name, f"{name} must be a string of 1 to {limit} characters"))
    method = props.get("payment_method")
    if method is not None and not is_unknown(method) and method not in PAYMENT_METHODS:
        failures.append(Failure("payment_method", f"payment_method must be one of {', '.join(PAYMENT_METHODS)}"))
    trial = props.get("trial_mode")
    if trial is not None and not is_unknown(trial) and not isinstance(trial, bool):
        failures.append(Failure("trial_mode", "trial_mode must be true or false"))
    generation = props.get("generation")
    if generation is not None and not is_unknown(generation) and (
            isinstance(generation, bool) or not isinstance(generation, int | float) or generation != int(generation)
            or not 1 <= generation <= INT32_MAX):
        failures.append(Failure("generation", "generation must be a whole number >= 1"))
    return failures


def _line_items(items: Any) -> list[Failure]:
    if is_unknown(items):
        return []
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
        for name in ("expected_unit_price", "expected_charge"):
            amount = item.get(name)
            if amount is None or is_unknown(amount):
                continue
            failure, currency = _amount(f"{where}.{name}", amount)
            failures += failure
            if currency is not None:
                currencies.append((f"{where}.{name}.currency", currency))
        failures += _subtotal(where, item)
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
    numbers = [n for n in (unit.get("amount"), charge.get("amount"), quantity)
               if isinstance(n, int | float) and not isinstance(n, bool) and math.isfinite(n)]
    if len(numbers) != 3:
        return []  # reported by the other rules
    if unit.get("currency") != charge.get("currency"):
        return []  # reported as a currency mismatch
    unit_amount, charge_amount, count = (float(n) for n in numbers)
    subtotal = round(unit_amount * count, 2)
    if abs(charge_amount - subtotal) > 0.005:
        return [Failure(f"{where}.expected_charge.amount", f"{where}.expected_charge.amount is {charge['amount']} "
                        f"but expected_unit_price x quantity is {subtotal:.2f}: the charge is the line's subtotal, "
                        "and Amazon would refuse the line")]
    return []


def _amount(where: str, amount: Any) -> tuple[list[Failure], str | None]:
    if not isinstance(amount, Mapping):
        return [Failure(where, f"{where} must be {{currency, amount}}")], None
    failures = [Failure(f"{where}.{k}", f"unknown key {k!r}: give currency and amount") for k in amount
                if k not in ("currency", "amount")]
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


def _address(address: Any) -> list[Failure]:
    if is_unknown(address):
        return []
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


def changed(olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[str]:
    """The order inputs whose values differ (``generation`` absent counts as 1)."""
    def value(props: Mapping[str, Any], name: str) -> Any:
        return props.get(name) or 1 if name == "generation" else props.get(name)
    return [name for name in ORDER_INPUTS if value(news, name) != value(olds, name)]


def unchangeable(olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[Failure]:
    """A change to a placed order without a raised ``generation`` (unknown values pass: up checks again)."""
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
        if item.get("expected_unit_price"):
            expectations.append({"expectationType": "ExpectedUnitPrice", "amount": _money(item["expected_unit_price"])})
        if item.get("expected_charge"):
            expectations.append({"expectationType": "ExpectedCharge", "amount": _money(item["expected_charge"]),
                                 "source": "SUBTOTAL"})
        lines.append({
            "externalId": item.get("external_id") or f"line-item-{index + 1}",
            "quantity": int(item["quantity"]),
            "attributes": [
                {"attributeType": "SelectedProductReference",
                 "productReference": {"productReferenceType": "ProductIdentifier", "id": item["asin"]}},
                {"attributeType": "SelectedBuyingOptionReference",
                 "buyingOptionReference": {"buyingOptionReferenceType": "BuyingOptionIdentifier",
                                           "id": item["buying_option_id"]}},
            ],
            "expectations": expectations,
        })
    address = props["shipping_address"]
    attributes: list[dict[str, Any]] = [
        {"attributeType": "BuyerReference",
         "userReference": {"userReferenceType": "UserEmail", "emailAddress": props["buyer_email"]}},
        {"attributeType": "Region", "region": props["region"]},
        {"attributeType": "SelectedPaymentMethodReference", "paymentMethodReference": {
            "paymentMethodReferenceType": props.get("payment_method") or "StoredPaymentMethod"}},
        {"attributeType": "ShippingAddress", "address": {
            "addressType": "PhysicalAddress",
            **{_camel(k): v for k, v in address.items() if v is not None}}},
    ]
    if props.get("purchase_order_number"):
        attributes.append({"attributeType": "PurchaseOrderNumber",
                           "purchaseOrderNumber": props["purchase_order_number"]})
    if props.get("buying_group"):
        attributes.append({"attributeType": "BuyingGroupReference", "groupReference": {
            "groupReferenceType": "GroupIdentity", "identifier": props["buying_group"]}})
    if props.get("trial_mode"):
        attributes.append({"attributeType": "TrialMode"})
    return {"externalId": external, "lineItems": lines, "attributes": attributes}


def _money(amount: Mapping[str, Any]) -> dict[str, Any]:
    return {"currencyCode": amount["currency"], "amount": float(amount["amount"])}


def _camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part.capitalize() for part in rest)


# --- the result ----------------------------------------------------------------------------------
def flatten_result(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per line item: accepted/rejected quantities and every artifact, in snake_case."""
    rows = []
    for line in result.get("lineItems", []):
        row: dict[str, Any] = {"external_id": line.get("externalId"), "accepted_quantity": 0,
                               "rejected_quantity": 0, "rejections": []}
        for accepted in line.get("acceptedItems", []):
            row["accepted_quantity"] += int(accepted.get("quantity", 0))
            for artifact in accepted.get("artifacts", []):
                kind = artifact.get("acceptanceArtifactType")
                if kind == "OrderIdentifier":
                    row["order_identifier"] = artifact.get("identifier")
                elif kind in ("UnitPrice", "Charge"):
                    amount = artifact.get("amount", {})
                    row["unit_price" if kind == "UnitPrice" else "charge"] = amount.get("amount")
                    row["currency"] = amount.get("currencyCode")
                elif kind == "DeliveryDateRange":
                    row["delivery_range"] = [artifact.get("lower"), artifact.get("upper")]
                elif kind == "Shipment":
                    row["shipment"] = {k: v for k, v in (("status", artifact.get("status")),
                                                         ("carrier", artifact.get("carrier")),
                                                         ("tracking_number", artifact.get("trackingNumber")),
                                                         ("delivered_at", artifact.get("deliveredAt"))) if v}
        for rejected in line.get("rejectedItems", []):
            row["rejected_quantity"] += int(rejected.get("quantity", 0))
            row["rejections"] += [{"code": a.get("code"), "message": a.get("message")}
                                  for a in rejected.get("artifacts", [])]
        rows.append(row)
    return rows


def delivery_status(rows: list[dict[str, Any]]) -> str:
    """A summary the API does not give: REJECTED, ORDERED, SHIPPED, DELIVERED (of the accepted items)."""
    accepted = [row for row in rows if row["accepted_quantity"]]
    if not accepted:
        return "REJECTED"
    states = {row.get("shipment", {}).get("status") for row in accepted}
    if states == {"DELIVERED"}:
        return "DELIVERED"
    return "SHIPPED" if states & {"SHIPPED", "DELIVERED"} else "ORDERED"


def describe_rejections(rows: list[dict[str, Any]]) -> str:
    """The rejected items in words, one line each."""
    return "\n".join(f"  line item {row['external_id']}: {row['rejected_quantity']} rejected: "
                     + "; ".join(f"{r['code']}: {r['message']}" for r in row["rejections"])
                     for row in rows if row["rejected_quantity"])
