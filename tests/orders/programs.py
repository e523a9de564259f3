"""Inline programs for the order end-to-end tests (each order exported whole), and a test client."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boto3
import pulumi

from pulumi_outposts_orders import LineItemArgs, OutpostOrder
from pulumi_outposts_orders.emulator.outposts.seed import ACCOUNT_ID, RACK_CATALOG_ITEM_ID, RACK_OUTPOST_ID, REGION
from pulumi_outposts_orders.emulator.testing import RunningEmulator, boto3_env

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


def aws_client(emulator: RunningEmulator) -> Any:
    """A boto3 Outposts client of ``emulator`` for the test itself (outside any stack)."""
    env = boto3_env(emulator.endpoint)
    return boto3.session.Session(
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"], aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"]
    ).client("outposts", region_name=env["AWS_DEFAULT_REGION"], endpoint_url=emulator.endpoint)
