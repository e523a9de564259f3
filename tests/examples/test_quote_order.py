"""examples/quote_order: the quote first, its price in the review, then the order."""

from __future__ import annotations

from pathlib import Path

import pytest
from e2e_project import new_project, resources
from pulumi import automation as auto

from pulumi_outposts_orders._tokens import QUOTE_TYPE
from pulumi_outposts_orders.emulator.testing import RunningEmulator

pytestmark = pytest.mark.e2e


def test_quote_then_reviewed_order(tmp_path: Path, emulator: RunningEmulator) -> None:
    project = new_project(tmp_path, emulator, example="quote_order")
    stack = project.stack()

    stack.up()
    outputs = {name: value.value for name, value in stack.outputs().items()}
    assert outputs["quote_status"] == "CREATED"
    assert outputs["failed_requirements"] == []
    assert "order_id" not in outputs
    one_rack = [p for p in outputs["prices"] if p["racks"] == 1]
    assert len(one_rack) == 1
    assert emulator.admin.calls().get("CreateOrder", 0) == 0

    # Second step: the pull request that places the order shows its price.
    stack.set_config("place_order", auto.ConfigValue("true"))
    # A stale approved price (the quote changed since it was approved).
    stack.set_config("expected_upfront_price", auto.ConfigValue(str(one_rack[0]["upfront_price"] - 100)))
    review = project.outposts_orders("review", stdin=stack.preview(json=True).stdout)
    assert review.returncode == 0, review.stderr
    [row] = [line for line in review.stdout.splitlines() if "order `seattle-rack`" in line]
    upfront = f"${one_rack[0]['upfront_price']:,.2f}"
    monthly = f"${one_rack[0]['monthly_recurring_price']:,.2f}"
    approved = f"${one_rack[0]['upfront_price'] - 100:,.2f}"
    total = f"${one_rack[0]['upfront_price'] + 36 * one_rack[0]['monthly_recurring_price']:,.2f}"
    assert row.endswith(f"| PARTIAL_UPFRONT / THREE_YEARS | ❌ upfront {approved} | {upfront} | {monthly} | "
                        f"{total} over 36 months |"), row
    assert one_rack[0]["option"] in row
    # The stale approval is loud before anyone runs `pulumi up`.
    assert f"🛑 **PRICE MISMATCH `seattle-rack`**: upfront {approved} approved, {upfront} quoted." in review.stdout

    # The approved price guards the order: a different price places nothing.
    with pytest.raises(auto.CommandError, match="nothing ordered: the price of quote"):
        stack.up()
    assert emulator.admin.calls().get("CreateOrder", 0) == 0

    stack.set_config("expected_upfront_price", auto.ConfigValue(str(one_rack[0]["upfront_price"])))
    stack.set_config("expected_monthly_price", auto.ConfigValue(str(one_rack[0]["monthly_recurring_price"])))
    stack.up()
    stack.refresh()
    [quote] = resources(stack, QUOTE_TYPE)
    assert quote["outputs"]["status"] == "ORDER_SUBMITTED"
    assert quote["outputs"]["submitted_order_id"] == stack.outputs()["order_id"].value
    assert emulator.admin.calls().get("CreateOrder") == 1
