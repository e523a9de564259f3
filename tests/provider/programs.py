"""Inline programs for the order end-to-end tests: each order exported whole (all its outputs)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi

from pulumi_outposts_orders import LineItemArgs, OutpostOrder
from pulumi_outposts_orders.emulator.seed import ACCOUNT_ID, RACK_CATALOG_ITEM_ID, RACK_OUTPOST_ID, REGION

OUTPOST_ARN = f"arn:aws:outposts:{REGION}:{ACCOUNT_ID}:outpost/{RACK_OUTPOST_ID}"


def rack(quantity: int = 1, **inputs: Any) -> dict[str, Any]:
    """The inputs of a one-line order for the seeded rack Outpost (``inputs`` override them)."""
    declared: dict[str, Any] = {
        "outpost_identifier": RACK_OUTPOST_ID,
        "line_items": [LineItemArgs(catalog_item_id=RACK_CATALOG_ITEM_ID, quantity=quantity)],
        "payment_option": "ALL_UPFRONT",
        "payment_term": "THREE_YEARS",
    }
    declared.update(inputs)
    return declared


def orders(**declared: dict[str, Any]) -> Callable[[], None]:
    """A program declaring one OutpostOrder per keyword (resource name → inputs, ``opts`` allowed)."""

    def program() -> None:
        for name, inputs in declared.items():
            inputs = dict(inputs)
            opts = inputs.pop("opts", None)
            pulumi.export(name, OutpostOrder(name, opts=opts, **inputs))

    return program
