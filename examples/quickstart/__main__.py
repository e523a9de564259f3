"""Quickstart: one rack for an Outpost, tracked from order to delivery.

Against the local emulator (``AWS_ENDPOINT_URL_OUTPOSTS`` set, as ``make demo`` does) the Outpost and
catalog item default to the emulator's seeded ones. Against AWS nothing is guessed: set your own with
``pulumi config set outpost op-…`` and ``pulumi config set catalog_item OR-…``, or the program stops
saying so. A mistake in the config stops the program with one message, before anything is ordered.
"""

from __future__ import annotations

import os

import pulumi

from pulumi_outposts_orders import LineItemArgs, OutpostOrder

config = pulumi.Config()
EMULATOR_DEFAULTS = {"outpost": "op-0123456789abcdef0", "catalog_item": "OR-A1B2C3D"}


def setting(key: str) -> str:
    """``key`` from the stack's config; the emulator's seeded ID only when the emulator is the endpoint."""
    if os.environ.get("AWS_ENDPOINT_URL_OUTPOSTS"):
        return config.get(key) or EMULATOR_DEFAULTS[key]
    return config.require(key)  # pulumi.ConfigMissingError: one message naming the `pulumi config set` command


def quantity() -> int:
    """How many racks: 1 unless ``quantity`` is set; 0 or less stops the program."""
    value = config.get_int("quantity")  # not a whole number: pulumi.ConfigTypeError
    if value is None:
        return 1
    if value < 1:
        raise pulumi.RunError(f"config `quantity` must be a whole number of at least 1 (got {value}); nothing is "
                              "ordered. Fix it with `pulumi config set quantity 1`, or remove it for one rack.")
    return value


order = OutpostOrder(
    "rack",
    outpost_identifier=setting("outpost"),
    line_items=[LineItemArgs(catalog_item_id=setting("catalog_item"), quantity=quantity())],
    payment_option=config.get("payment_option") or "ALL_UPFRONT",
    payment_term=config.get("payment_term") or "THREE_YEARS",
)

pulumi.export("order_id", order.order_id)
pulumi.export("status", order.status)
pulumi.export("submitted", order.order_submission_date)
pulumi.export("fulfilled", order.order_fulfilled_date)
pulumi.export("line_items", order.line_items)
