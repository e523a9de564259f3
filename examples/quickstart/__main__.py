"""Quickstart: one rack for an Outpost, tracked from order to delivery.

Defaults are the local emulator's seeded Outpost and catalog item (``make demo``); against AWS, set
your own: ``pulumi config set outpost op-…``, ``pulumi config set catalog_item OR-…``.
"""

from __future__ import annotations

import pulumi

from pulumi_outposts_orders import LineItemArgs, OutpostOrder

config = pulumi.Config()

order = OutpostOrder(
    "rack",
    outpost_identifier=config.get("outpost") or "op-0123456789abcdef0",
    line_items=[
        LineItemArgs(
            catalog_item_id=config.get("catalog_item") or "OR-A1B2C3D",
            quantity=config.get_int("quantity") or 1,
        )
    ],
    payment_option=config.get("payment_option") or "ALL_UPFRONT",
    payment_term=config.get("payment_term") or "THREE_YEARS",
)

pulumi.export("order_id", order.order_id)
pulumi.export("status", order.status)
pulumi.export("submitted", order.order_submission_date)
pulumi.export("fulfilled", order.order_fulfilled_date)
pulumi.export("line_items", order.line_items)
