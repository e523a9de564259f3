"""Amazon's answers, read as the published models define them: the Ordering API's ``OrderResult``, the
Package Tracking API's ``PackageTrackingDetails`` and the Reporting API's ``OrderReport``.

An ``OrderResult`` (placeOrder, orderDetails) has per line item ``acceptedItems`` (``SingleAcceptedItem``,
or ``AcceptedItemGroup``: its quantity counts groups, as the line's does, and its items' quantities multiply it
into ``accepted_items``) and ``rejectedItems``, each with typed
artifacts: ``OrderIdentifier``, ``UnitPrice``, ``Charge`` (``category`` SUBTOTAL, SHIPPING, …; ``type``
PRINCIPAL, TAX, DISCOUNT), ``DeliveryTimeRange`` and ``ShipmentGroup`` (the packages the line ships in); the
rejection artifacts ``RejectionCode``, ``RejectionMessage``, ``UnavailableQuantity`` and the broken
expectations. Order-level ``Shipment`` artifacts list the packages with their carrier and delivery window.
Where a package is, only the Package Tracking API says (``trackingStatus``); whether an Amazon order waits for
approval, was cancelled (by the buyer, its approver or Amazon) or is closed, only the Reporting API
(``orderStatus``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pulumi_outposts_orders.amazon_business.outputs import (
    AmazonBusinessLineItemResult,
    AmazonBusinessPackage,
    AmazonBusinessRejection,
)

IN_TRANSIT = ("SHIPPED", "OUT_FOR_DELIVERY", "AVAILABLE_FOR_PICKUP", "CUSTOMER_ACTION")
TROUBLE = ("DELAYED", "UNDELIVERABLE", "RETURNED", "REFUND_ISSUED")
SETTLED_ORDER_STATUSES = ("CLOSED", "CANCELLED")
"""Reporting API order statuses that do not change: not asked again."""


def line_results(result: Mapping[str, Any]) -> list[AmazonBusinessLineItemResult]:
    """One row per line item: quantities, money by kind, delivery range, rejections and packages."""
    packages = order_packages(result)
    return [_line(line, packages) for line in result.get("lineItems") or []]


def order_packages(result: Mapping[str, Any]) -> dict[str, AmazonBusinessPackage]:
    """Tracking number → package, from the order-level ``Shipment`` artifacts."""
    found: dict[str, AmazonBusinessPackage] = {}
    for artifact in result.get("acceptanceArtifacts") or []:
        if artifact.get("acceptanceArtifactType") != "Shipment":
            continue
        for package in artifact.get("packages") or []:
            number = (package.get("packageReference") or {}).get("value")
            if not number:
                continue
            entry: AmazonBusinessPackage = {"tracking_number": str(number), "shipment_id": str(artifact["identifier"])}
            for attribute in package.get("packageAttributes") or []:
                if attribute.get("packageAttributeType") == "PackageTrackingAttribute":
                    window = attribute.get("deliveryDateRange") or {}
                    entry["carrier"] = str(attribute.get("carrierName"))
                    entry["package_id"] = str(attribute.get("packageId"))
                    entry["delivery_window"] = [_date(window.get("startDateTime")), _date(window.get("endDateTime"))]
            found[str(number)] = entry
    return found


def _line(line: Mapping[str, Any], packages: Mapping[str, AmazonBusinessPackage]) -> AmazonBusinessLineItemResult:
    row: AmazonBusinessLineItemResult = {"external_id": line.get("externalId"), "accepted_quantity": 0,
                                         "rejected_quantity": 0, "rejections": []}
    charges: dict[tuple[str, str], float] = {}
    shipped: list[str] = []
    for accepted in line.get("acceptedItems") or []:
        row["accepted_quantity"] += int(accepted.get("quantity") or 0)
        if accepted.get("acceptedItemType") == "AcceptedItemGroup":
            row["accepted_items"] = row.get("accepted_items", 0) + _quantity(accepted)
        for artifact in accepted.get("artifacts") or []:
            kind = artifact.get("acceptanceArtifactType")
            if kind == "OrderIdentifier":
                row["order_identifier"] = artifact.get("identifier")
            elif kind == "UnitPrice":
                row["unit_price"], row["currency"] = _money(artifact.get("amount"))
            elif kind == "Charge":
                amount, currency = _money(artifact.get("amount"))
                key = (str(artifact.get("category")), str(artifact.get("type")))
                charges[key] = round(charges.get(key, 0.0) + (amount or 0.0), 2)
                row["currency"] = currency
            elif kind == "DeliveryTimeRange":
                row["delivery_range"] = [_date(artifact.get("lowerBoundary")), _date(artifact.get("upperBoundary"))]
            elif kind == "ShipmentGroup":
                shipped += [str(r.get("value")) for r in artifact.get("packageReferences") or [] if r.get("value")]
    if charges:
        row["charge"] = charges.get(("SUBTOTAL", "PRINCIPAL"), 0.0)
        row["tax"] = round(sum(v for (_, kind), v in charges.items() if kind == "TAX"), 2)
        row["shipping"] = round(sum(v for (cat, kind), v in charges.items() if cat == "SHIPPING" and kind != "TAX"), 2)
        row["discount"] = round(sum(v for (_, kind), v in charges.items() if kind == "DISCOUNT"), 2)
    for rejected in line.get("rejectedItems") or []:
        row["rejected_quantity"] += int(rejected.get("quantity") or 0)
        row["rejections"].append(_rejection(rejected.get("artifacts") or []))
    if shipped:
        row["packages"] = [packages.get(number) or {"tracking_number": number} for number in shipped]
    return row


def _quantity(accepted: Mapping[str, Any]) -> int:
    """Items in an accepted portion: an ``AcceptedItemGroup``'s quantity times its items' quantities (the model's
    example: 2 groups of three items, 2 of each, are 12 items)."""
    quantity = int(accepted.get("quantity") or 0)
    if accepted.get("acceptedItemType") == "AcceptedItemGroup":
        return quantity * sum(_quantity(item) for item in accepted.get("items") or [])
    return quantity


def _rejection(artifacts: Sequence[Mapping[str, Any]]) -> AmazonBusinessRejection:
    """One rejected portion: its code, message and the specific reason, in words."""
    found: AmazonBusinessRejection = {"code": None, "message": None}
    reasons = []
    for artifact in artifacts:
        kind = artifact.get("rejectionArtifactType")
        if kind == "RejectionCode":
            found["code"] = artifact.get("code")
        elif kind == "RejectionMessage":
            found["message"] = artifact.get("message")
        elif kind == "UnavailableQuantity":
            reasons.append(f"{artifact.get('quantity')} unavailable")
        elif kind == "AvailableQuantity":
            reasons.append(f"{artifact.get('quantity')} available")
        elif kind in ("BrokenUnitPriceExpectation", "BrokenChargeExpectation"):
            what = "unit price" if kind == "BrokenUnitPriceExpectation" else "charge"
            actual, currency = _money(artifact.get("actualAmount"))
            boundary, _ = _money(artifact.get("boundary"))
            reasons.append(f"{what} {actual} {currency} above the expected {boundary}")
        elif kind:
            reasons.append(str(kind))
    if reasons:
        found["reason"] = "; ".join(reasons)
    return found


def reported(row: AmazonBusinessLineItemResult, report: Mapping[str, Any]) -> AmazonBusinessLineItemResult:
    """``row`` with what the Reporting API's ``OrderReport`` of its Amazon order says: its ``orderStatus`` and
    who approved it."""
    updated: AmazonBusinessLineItemResult = {**row, "order_status": str(report.get("orderStatus") or "UNKNOWN")}
    approver = ((report.get("approverDetails") or {}).get("lastOrderApproverCustomer") or {})
    if approver.get("email") or approver.get("name"):
        updated["approved_by"] = str(approver.get("email") or approver.get("name"))
    return updated


def live(rows: Sequence[AmazonBusinessLineItemResult]) -> list[AmazonBusinessLineItemResult]:
    """The lines with an Amazon order that stands: accepted, and not cancelled."""
    return [row for row in rows if row["accepted_quantity"] and row.get("order_status") != "CANCELLED"]


def delivery_status(rows: Sequence[AmazonBusinessLineItemResult]) -> str:
    """REJECTED (nothing accepted), CANCELLED (every accepted line's Amazon order), PENDING_APPROVAL (one
    waits), then from the lines not cancelled: DELAYED (a package in trouble), DELIVERED (every package, or
    the order CLOSED), SHIPPED, ORDERED."""
    if not any(row["accepted_quantity"] for row in rows):
        return "REJECTED"
    standing = live(rows)
    if not standing:
        return "CANCELLED"
    if any(row.get("order_status") == "PENDING_APPROVAL" for row in standing):
        return "PENDING_APPROVAL"
    statuses = [package.get("status") for row in standing for package in row.get("packages") or []]
    if any(status in TROUBLE for status in statuses):
        return "DELAYED"
    if all(row.get("order_status") == "CLOSED" or (row.get("packages") and all(
            package.get("status") == "DELIVERED" for package in row.get("packages") or [])) for row in standing):
        return "DELIVERED"
    return "SHIPPED" if statuses else "ORDERED"


def charges(rows: Sequence[AmazonBusinessLineItemResult]) -> dict[str, float]:
    """The order's money kept apart: subtotal, tax, shipping, discount, and what is charged in all (a
    cancelled line's Amazon order is not charged)."""
    rows = [row for row in rows if row.get("order_status") != "CANCELLED"]
    kept: dict[str, float] = {
        "subtotal": round(sum(float(row.get("charge") or 0) for row in rows), 2),
        "tax": round(sum(float(row.get("tax") or 0) for row in rows), 2),
        "shipping": round(sum(float(row.get("shipping") or 0) for row in rows), 2),
        "discount": round(sum(float(row.get("discount") or 0) for row in rows), 2),
    }
    kept["total"] = round(kept["subtotal"] + kept["tax"] + kept["shipping"] - abs(kept["discount"]), 2)
    return kept


def describe_rejections(rows: Sequence[AmazonBusinessLineItemResult]) -> str:
    """The rejected items in words, one line each."""
    def words(r: AmazonBusinessRejection) -> str:
        return ": ".join(str(p) for p in (r["code"], r["message"], r.get("reason")) if p)

    return "\n".join(f"  line item {row['external_id']}: {row['rejected_quantity']} rejected: "
                     + "; ".join(words(r) for r in row["rejections"])
                     for row in rows if row["rejected_quantity"])


def tracked(package: AmazonBusinessPackage, details: Mapping[str, Any]) -> AmazonBusinessPackage:
    """``package`` with what the Package Tracking API says of it (``PackageTrackingDetails``)."""
    carrier = details.get("carrierDetails") or {}
    window = details.get("deliveryWindow") or {}
    updated: AmazonBusinessPackage = {**package, "status": str(details.get("trackingStatus") or "UNKNOWN")}
    if carrier.get("localizedCarrierName"):
        updated["carrier"] = str(carrier["localizedCarrierName"])
    if window.get("endDate"):
        updated["delivery_window"] = [window.get("startDate") or (package.get("delivery_window") or [None])[0],
                                      str(window["endDate"])]
    return updated


def _money(amount: Any) -> tuple[float | None, str | None]:
    if not isinstance(amount, Mapping):
        return None, None
    value = amount.get("amount")
    return (float(value) if isinstance(value, int | float) else None), amount.get("currencyCode")


def _date(value: Any) -> str | None:
    return str(value["date"]) if isinstance(value, Mapping) and value.get("date") else None
