"""A stack's orders as its state records them: plain records, read from an exported deployment.

The state is as fresh as the last ``pulumi refresh`` (or ``up``); nothing here calls AWS.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class LineItem:
    """One line item as the state records it."""

    catalog_item_id: str
    quantity: int
    status: str
    carrier: str | None
    tracking_number: str | None
    asset_ids: tuple[str, ...]


@dataclass(frozen=True)
class Order:
    """One ``OutpostOrder`` of the stack, as of its last refresh."""

    name: str
    order_id: str
    outpost_id: str
    status: str
    submitted: str | None
    fulfilled: str | None
    line_items: tuple[LineItem, ...]
    payment_option: str | None = None
    payment_term: str | None = None
    region: str | None = None
    account_id: str | None = None
    quote_id: str | None = None
    quote_option_id: str | None = None

    def ordered(self, item: LineItem) -> str:
        """What a line item is: ``OR-A1B2C3D x1``, or for a quote order ``quote oq-…, option oqo-… x1``."""
        if item.catalog_item_id != "—" or not self.quote_id:
            return f"{item.catalog_item_id} x{item.quantity}"
        return f"quote {self.quote_id}, option {self.quote_option_id or '—'} x{item.quantity}"

    def payment(self) -> str:
        """``ALL_UPFRONT / THREE_YEARS``."""
        return f"{self.payment_option or '—'} / {self.payment_term or '—'}"


def orders(deployment: Mapping[str, Any]) -> list[Order]:
    """The orders in an exported deployment, by resource name."""
    from pulumi_outposts_orders._tokens import (
        ORDER_TYPE,  # the resource classes (and the Pulumi SDK) only when a state is read
    )

    found = [_order(r) for r in deployment.get("resources") or [] if r.get("type") == ORDER_TYPE and r.get("id")]
    return sorted(found, key=lambda o: o.name)


def as_of(deployment: Mapping[str, Any]) -> str | None:
    """When the state was last written (the deployment manifest's time), as ``2026-06-15 10:30 UTC``."""
    manifest = deployment.get("manifest") or {}
    stamp = str(manifest.get("time") or "")
    try:
        written = datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    return written.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")


def _order(resource: Mapping[str, Any]) -> Order:
    outs: Mapping[str, Any] = resource.get("outputs") or {}
    return Order(
        name=str(resource["urn"]).rsplit("::", 1)[-1],
        order_id=str(resource["id"]),
        outpost_id=str(outs.get("outpost_id") or outs.get("outpost_identifier") or "—"),
        status=str(outs.get("status") or "UNKNOWN"),
        submitted=outs.get("order_submission_date"),
        fulfilled=outs.get("order_fulfilled_date"),
        line_items=tuple(_line_item(item) for item in outs.get("line_items") or [] if isinstance(item, Mapping)),
        payment_option=_text(outs.get("payment_option")),
        payment_term=_text(outs.get("payment_term")),
        region=_text(outs.get("region")),
        account_id=_text(outs.get("account_id")),
        quote_id=_text(outs.get("quote_identifier")),
        quote_option_id=_text(outs.get("quote_option_identifier")),
    )


def _line_item(item: Mapping[str, Any]) -> LineItem:
    shipment: Mapping[str, Any] = item.get("shipment_information") or {}
    assets = item.get("asset_information_list") or []
    return LineItem(
        catalog_item_id=str(item.get("catalog_item_id") or "—"),
        quantity=int(item.get("quantity") or 0),
        status=str(item.get("status") or "UNKNOWN"),
        carrier=shipment.get("shipment_carrier"),
        tracking_number=shipment.get("shipment_tracking_number"),
        asset_ids=tuple(str(a["asset_id"]) for a in assets if isinstance(a, Mapping) and a.get("asset_id")),
    )


def _text(value: Any) -> str | None:
    return str(value) if value else None
