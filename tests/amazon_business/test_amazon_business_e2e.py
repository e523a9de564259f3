"""AmazonBusinessOrder through the real engine against the emulator's Ordering API and LWA endpoint.

Place then refresh to delivered; a lost placeOrder response then ``up`` again gives one order; a moved
price is refused with nothing placed; invalid inputs (the seed's mixed-currency example among them)
fail at preview with zero calls; LWA secrets never reach state or logs; 30 orders under the usage
plan are all placed without a 429 failure, in about the plan's floor.
"""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e_project import new_project, resources
from pulumi import automation as auto

from pulumi_outposts_orders.amazon_business import (
    AmazonBusinessLineItemArgs,
    AmazonBusinessOrder,
    AmazonBusinessOrderArgs,
    MoneyArgs,
    ShippingAddressArgs,
)
from pulumi_outposts_orders.emulator import amazon_business as ab
from pulumi_outposts_orders.emulator.testing import RunningEmulator

pytestmark = pytest.mark.e2e
TYPE = "pulumi-python:dynamic/amazonbusiness:AmazonBusinessOrder"
QSFP = ab.SEED_PRODUCTS[0]
ADDRESS = ShippingAddressArgs(full_name="Site Ops", address_line1="410 Terry Ave N", city="Seattle",
                              postal_code="98109", country_code="US", state_or_region="WA")


@pytest.fixture
def emulator() -> Iterator[RunningEmulator]:
    with RunningEmulator() as running:
        yield running


def admin(emulator: RunningEmulator, method: str, path: str, body: Any = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{emulator.endpoint}{ab.ADMIN_PREFIX}{path}", data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def make_stack(tmp_path: Path, emulator: RunningEmulator, secrets_in_config: bool = False) -> auto.Stack:
    project = new_project(tmp_path, emulator, name="ab-e2e")
    project.env["AMAZON_BUSINESS_ENDPOINT"] = emulator.endpoint
    if not secrets_in_config:
        project.env.update(AMAZON_BUSINESS_LWA_CLIENT_ID=ab.LWA_CLIENT_ID,
                           AMAZON_BUSINESS_LWA_CLIENT_SECRET=ab.LWA_CLIENT_SECRET,
                           AMAZON_BUSINESS_LWA_REFRESH_TOKEN=ab.LWA_REFRESH_TOKEN)
    stack = project.stack(lambda: None)
    if secrets_in_config:
        for key, value in (("lwaClientId", ab.LWA_CLIENT_ID), ("lwaClientSecret", ab.LWA_CLIENT_SECRET),
                           ("lwaRefreshToken", ab.LWA_REFRESH_TOKEN)):
            stack.set_config(f"outposts-orders:{key}", auto.ConfigValue(value, secret=True))
    emulator.admin.reset_calls()
    return stack


def optics(name: str = "optics", quantity: int = 4, unit_price: float = QSFP.price,
           charge_currency: str = "USD", count: int = 1) -> Any:
    def program() -> None:
        for index in range(count):
            order = AmazonBusinessOrder(f"{name}{index or ''}", AmazonBusinessOrderArgs(
                line_items=[AmazonBusinessLineItemArgs(
                    asin=QSFP.asin, buying_option_id=QSFP.buying_option_id, quantity=quantity,
                    expected_unit_price=MoneyArgs("USD", unit_price),
                    expected_charge=MoneyArgs(charge_currency, round(unit_price * quantity, 2)))],
                shipping_address=ADDRESS, buyer_email="buyer@example.com", region="US",
                purchase_order_number="PO-1"))
            if count == 1:
                import pulumi
                pulumi.export("order", order)
    return program


def calls(emulator: RunningEmulator) -> dict[str, int]:
    counts = {k: v for k, v in emulator.admin.calls().items() if (v and k in ab.OPERATIONS) or "throttled" in k}
    emulator.admin.reset_calls()
    return counts


def test_place_then_refresh_to_delivered(tmp_path: Path, emulator: RunningEmulator) -> None:
    stack = make_stack(tmp_path, emulator)
    up = stack.up(program=optics())
    assert up.summary.resource_changes == {"create": 2}
    assert calls(emulator) == {"lwaToken": 1, "placeOrder": 1}
    order = up.outputs["order"].value
    assert order["delivery_status"] == "ORDERED" and order["total"] == round(QSFP.price * 4, 2)
    [line] = order["line_item_results"]
    assert line["accepted_quantity"] == 4 and line["order_identifier"].startswith("114-")
    emulator.admin.advance_days(1.5)
    stack.refresh(run_program=True, program=optics())
    assert stack.outputs()["order"].value["delivery_status"] == "SHIPPED"
    emulator.admin.advance_days(2)
    stack.refresh(run_program=True, program=optics())
    shown = stack.outputs()["order"].value
    assert shown["delivery_status"] == "DELIVERED"
    assert shown["line_item_results"][0]["shipment"]["status"] == "DELIVERED"
    assert calls(emulator) == {"lwaToken": 2, "orderDetails": 2}
    destroyed = stack.destroy(program=optics())
    assert "was NOT cancelled" in destroyed.stdout + destroyed.stderr
    assert calls(emulator) == {}


def test_lost_place_order_response_then_up_again_is_one_order(tmp_path: Path, emulator: RunningEmulator) -> None:
    stack = make_stack(tmp_path, emulator)
    emulator.admin.set_faults({"placeOrder": {"drop_response_after_commit": 1}})
    with pytest.raises(auto.CommandError, match="outcome is unknown"):
        stack.up(program=optics())
    stack.up(program=optics())
    [state] = resources(stack, TYPE)
    placed = admin(emulator, "GET", "orders")
    assert [o["externalId"] for o in placed] == [state["id"]]
    assert calls(emulator)["placeOrder"] == 2


def test_moved_price_is_refused_and_nothing_placed(tmp_path: Path, emulator: RunningEmulator) -> None:
    stack = make_stack(tmp_path, emulator)
    admin(emulator, "POST", f"products/{QSFP.asin}", {"price": 149.0})
    with pytest.raises(auto.CommandError) as refused:
        stack.up(program=optics())
    assert "BROKEN_EXPECTATION" in str(refused.value) and "nothing was placed" in str(refused.value)
    assert resources(stack, TYPE) == []
    [product] = [p for p in admin(emulator, "GET", "products") if p["asin"] == QSFP.asin]
    assert product["available"] == QSFP.available  # nothing reserved
    stack.up(program=optics(unit_price=149.0))  # the buyer accepts the new price: the externalId is still free
    assert resources(stack, TYPE)[0]["outputs"]["total"] == 596.0


@pytest.mark.parametrize(("program", "named"), [
    (optics(charge_currency="EUR"), "line_items[0].expected_charge.currency"),  # the seed's fourth example
    (optics(quantity=0), "line_items[0].quantity"),
    (optics(quantity=2**31), "line_items[0].quantity"),
])
def test_invalid_inputs_fail_at_preview_with_zero_calls(tmp_path: Path, emulator: RunningEmulator,
                                                        program: Any, named: str) -> None:
    stack = make_stack(tmp_path, emulator)
    with pytest.raises(auto.CommandError) as failed:
        stack.preview(program=program)
    assert named in str(failed.value)
    assert calls(emulator) == {}


def test_secrets_absent_from_state_and_logs(tmp_path: Path, emulator: RunningEmulator) -> None:
    stack = make_stack(tmp_path, emulator, secrets_in_config=True)
    up = stack.up(program=optics(), on_output=lambda _: None)
    # The state as stored (``export_stack`` would decrypt the config secrets the engine keeps, encrypted,
    # as the default provider's inputs): every file of the backend.
    state = "".join(p.read_text() for p in (tmp_path / "state").rglob("*.json"))
    assert "lwaClientSecret" in state  # the engine's encrypted copy of the config is there: this reads it
    for secret in (ab.LWA_CLIENT_SECRET, ab.LWA_REFRESH_TOKEN, ab.LWA_CLIENT_ID, "Atza|"):
        assert secret not in state
        assert secret not in up.stdout + up.stderr
    assert calls(emulator) == {"lwaToken": 1, "placeOrder": 1}


def test_thirty_orders_under_the_usage_plan(tmp_path: Path, emulator: RunningEmulator) -> None:
    speedup = 10.0
    admin(emulator, "PUT", "usage-plan", {"speedup": speedup})
    stack = make_stack(tmp_path, emulator)
    started = time.monotonic()
    stack.up(program=optics(quantity=1, count=30), parallel=30)
    elapsed = time.monotonic() - started
    assert len(resources(stack, TYPE)) == 30
    counts = calls(emulator)
    assert counts.get("placeOrder.throttled", 0) == 0 and counts["placeOrder"] == 30
    placed = sorted(o["wallPlacedAt"] for o in admin(emulator, "GET", "orders"))
    floor = (30 - ab.BURST) / (ab.RATE_PER_S * speedup)
    assert floor * 0.9 <= placed[-1] - placed[0] <= floor * 1.5 + 1.0
    assert elapsed >= floor
