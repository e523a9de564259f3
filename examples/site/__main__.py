"""Site: one Outposts rack (OutpostOrder) and the optics and fibre its site needs (AmazonBusinessOrder).

One `outposts-orders review` comment shows both: the rack, and each Amazon Business line with the price
the reviewers approve (``expected_unit_price`` and ``expected_charge``, which Amazon enforces at
``pulumi up``). An Amazon Business order can never be cancelled through its API: destroying or replacing
it leaves the existing order in place, and the review says so.

Against the local emulator (``AWS_ENDPOINT_URL_OUTPOSTS`` and ``AMAZON_BUSINESS_ENDPOINT`` set) the
Outpost, catalog item, buyer and address default to seeded or sample values, and ``SITE_HARDWARE`` lists
the emulator's seeded products. Against AWS and Amazon Business nothing is guessed: set ``outpost``,
``catalog_item``, ``buyer_email`` and ``ship_to`` in the stack's config, and put your own ASINs, buying
options and approved prices in ``SITE_HARDWARE``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pulumi

from pulumi_outposts_orders import (
    AmazonBusinessLineItemArgs,
    AmazonBusinessOrder,
    AmazonBusinessOrderArgs,
    LineItemArgs,
    MoneyArgs,
    OutpostOrder,
)
from pulumi_outposts_orders.money import subtotal

config = pulumi.Config()
OUTPOSTS_EMULATOR = {"outpost": "op-0123456789abcdef0", "catalog_item": "OR-A1B2C3D"}
AMAZON_BUSINESS_EMULATOR: dict[str, Any] = {
    "buyer_email": "site-ops@example.com",
    "ship_to": {"full_name": "Site Ops", "address_line1": "410 Terry Ave N", "city": "Seattle",
                "state_or_region": "WA", "postal_code": "98109", "country_code": "US"},
}


@dataclass(frozen=True)
class Hardware:
    """One product the site needs per rack, at the approved unit price."""

    asin: str
    buying_option_id: str
    per_rack: int
    unit_price: float
    currency: str = "USD"


SITE_HARDWARE = (
    Hardware("B07QSFP28A", "bo-qsfp28-sr4", per_rack=8, unit_price=129.00),  # 100G QSFP28 SR4 optics
    Hardware("B08MPOFIB1", "bo-mpo-12f-10m", per_rack=4, unit_price=58.50),  # MPO-12 OM4 fibre trunks, 10 m
)


def setting(key: str, defaults: dict[str, Any], endpoint: str) -> Any:
    """``key`` from the stack's config; the emulator's default only when ``endpoint`` names the emulator."""
    structured = isinstance(defaults[key], dict)
    if os.environ.get(endpoint):
        return (config.get_object(key) if structured else config.get(key)) or defaults[key]
    # pulumi.ConfigMissingError: one message naming the `pulumi config set` command
    return config.require_object(key) if structured else config.require(key)


racks = config.get_int("racks")  # not a whole number: pulumi.ConfigTypeError
racks = 1 if racks is None else racks
if racks < 1:
    raise pulumi.RunError(f"config `racks` must be a whole number of at least 1 (got {racks}); nothing is ordered")
rack = OutpostOrder(
    "rack",
    outpost_identifier=setting("outpost", OUTPOSTS_EMULATOR, "AWS_ENDPOINT_URL_OUTPOSTS"),
    line_items=[LineItemArgs(catalog_item_id=setting("catalog_item", OUTPOSTS_EMULATOR, "AWS_ENDPOINT_URL_OUTPOSTS"),
                             quantity=racks)],
    payment_option="ALL_UPFRONT",
    payment_term="THREE_YEARS",
)

site = AmazonBusinessOrder("site-optics", AmazonBusinessOrderArgs(
    line_items=[AmazonBusinessLineItemArgs(
        asin=item.asin, buying_option_id=item.buying_option_id, quantity=item.per_rack * racks,
        expected_unit_price=MoneyArgs(item.currency, item.unit_price),
        expected_charge=MoneyArgs(item.currency, subtotal(item.unit_price, item.per_rack * racks)),
    ) for item in SITE_HARDWARE],
    shipping_address=setting("ship_to", AMAZON_BUSINESS_EMULATOR, "AMAZON_BUSINESS_ENDPOINT"),
    buyer_email=setting("buyer_email", AMAZON_BUSINESS_EMULATOR, "AMAZON_BUSINESS_ENDPOINT"),
    marketplace="US",  # the Amazon Business marketplace (a country code), not an AWS region
    purchase_order_number=config.get("purchase_order_number") or "PO-SITE-1",
))

pulumi.export("rack", {"order_id": rack.order_id, "status": rack.status})
pulumi.export("site_optics", {"external_id": site.external_id, "delivery_status": site.delivery_status,
                              "total": site.total, "currency": site.currency})
