"""AmazonBusinessOrder through the real engine against the emulator's Ordering API and LWA endpoint.

Place then refresh to delivered; a lost placeOrder response (sent again by the client, or ``up`` again,
on another machine) gives one order; a replacement places its order before the old one is forgotten
(which continues: no cancel API); a moved price or an unavailable quantity is refused with nothing
placed, and a partly accepted order is reported line by line; a throttled placeOrder waits and succeeds;
invalid inputs (the seed's mixed-currency example among them) fail at preview with zero calls; LWA
secrets never reach state or logs; 30 orders under the usage plan are all placed without a 429
failure, in about the plan's floor.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from e2e_project import Project, kill_up_while_creating, new_project, resources
from pulumi import automation as auto

from pulumi_outposts_orders.amazon_business.resource import (
    AmazonBusinessLineItemArgs,
    AmazonBusinessOrder,
    AmazonBusinessOrderArgs,
    MoneyArgs,
    ShippingAddressArgs,
)
from pulumi_outposts_orders.emulator import amazon_business as ab
from pulumi_outposts_orders.emulator.testing import RunningEmulator
from pulumi_outposts_orders.money import subtotal

pytestmark = pytest.mark.e2e
TYPE = "pulumi-python:dynamic/amazonbusiness:AmazonBusinessOrder"
QSFP = ab.SEED_PRODUCTS[0]
PDU = ab.SEED_PRODUCTS[2]
KIT = ab.SEED_PRODUCTS[4]
ADDRESS = ShippingAddressArgs(full_name="Site Ops", address_line1="410 Terry Ave N", city="Seattle",
                              postal_code="98109", country_code="US", state_or_region="WA")


@pytest.fixture
def emulator() -> Iterator[RunningEmulator]:
    with RunningEmulator() as running:
        yield running


def ab_project(tmp_path: Path, emulator: RunningEmulator, credentials_in_env: bool = True) -> Project:
    project = new_project(tmp_path, emulator, name="ab-e2e")
    project.env["AMAZON_BUSINESS_ENDPOINT"] = emulator.endpoint
    if credentials_in_env:
        project.env.update(AMAZON_BUSINESS_LWA_CLIENT_ID=ab.LWA_CLIENT_ID,
                           AMAZON_BUSINESS_LWA_CLIENT_SECRET=ab.LWA_CLIENT_SECRET,
                           AMAZON_BUSINESS_LWA_REFRESH_TOKEN=ab.LWA_REFRESH_TOKEN)
    return project


def make_stack(tmp_path: Path, emulator: RunningEmulator, secrets_in_config: bool = False) -> auto.Stack:
    project = ab_project(tmp_path, emulator, credentials_in_env=not secrets_in_config)
    stack = project.stack(lambda: None)
    if secrets_in_config:
        for key, value in (("lwaClientId", ab.LWA_CLIENT_ID), ("lwaClientSecret", ab.LWA_CLIENT_SECRET),
                           ("lwaRefreshToken", ab.LWA_REFRESH_TOKEN)):
            stack.set_config(f"outposts-orders:{key}", auto.ConfigValue(value, secret=True))
    emulator.admin.reset_calls()
    return stack


def workspace_env(stack: auto.Stack) -> dict[str, str]:
    """The environment the stack's next operations run with (its LocalWorkspace's own dict, changed in place)."""
    env = stack.workspace.env_vars
    assert isinstance(env, dict)
    return env


def line(product: ab.SeedProduct, quantity: int, unit_price: float | None = None,
         charge_currency: str = "USD") -> AmazonBusinessLineItemArgs:
    price = product.price if unit_price is None else unit_price
    return AmazonBusinessLineItemArgs(
        asin=product.asin, buying_option_id=product.buying_option_id, quantity=quantity,
        expected_unit_price=MoneyArgs(product.currency, price),
        expected_charge=MoneyArgs(charge_currency, subtotal(price, quantity)))


def optics(name: str = "optics", quantity: int = 4, unit_price: float = QSFP.price,
           charge_currency: str = "USD", count: int = 1,
           lines: list[AmazonBusinessLineItemArgs] | None = None, generation: int | None = None,
           marketplace: str = "US") -> Any:
    def program() -> None:
        for index in range(count):
            order = AmazonBusinessOrder(f"{name}{index or ''}", AmazonBusinessOrderArgs(
                line_items=lines or [line(QSFP, quantity, unit_price, charge_currency)],
                shipping_address=ADDRESS, buyer_email="buyer@example.com", marketplace=marketplace,
                purchase_order_number="PO-1", generation=generation))
            if count == 1:
                import pulumi
                pulumi.export("order", order)
    return program


def optics_as_before() -> Any:
    """``optics()`` as written before ``marketplace`` was named: ``region=`` (deprecated, still accepted)."""
    def program() -> None:
        import pulumi
        order = AmazonBusinessOrder("optics", line_items=[line(QSFP, 4)], shipping_address=ADDRESS,
                                    buyer_email="buyer@example.com", region="US", purchase_order_number="PO-1")
        pulumi.export("order", order)
    return program


def placed_orders(emulator: RunningEmulator) -> list[dict[str, Any]]:
    """The orders the emulator holds with at least one accepted item (live orders)."""
    return [o for o in emulator.admin.amazon_business_orders() if any("accepted" in item for item in o["lineItems"])]


def when_dropped_then(emulator: RunningEmulator, faults: dict[str, dict[str, Any]]) -> threading.Thread:
    """Once the emulator has taken placeOrder's drop (held by its latency), ``faults`` replace it."""
    def watch() -> None:
        deadline = time.monotonic() + 120
        while emulator.admin.faults().get("placeOrder", {}).get("drop_response_after_commit") != 0:
            assert time.monotonic() < deadline, "placeOrder was never sent"
            time.sleep(0.02)
        emulator.admin.set_faults(faults)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    return watcher


def lost_then_unreadable(emulator: RunningEmulator) -> threading.Thread:
    """The next placeOrder is held 1.5 s, committed and its answer lost; every orderDetails after it fails (5xx)."""
    emulator.admin.set_faults({"placeOrder": {"latency_ms": 1500, "drop_response_after_commit": 1}})
    return when_dropped_then(emulator, {"orderDetails": {"error_rate": 1.0}})


def calls(emulator: RunningEmulator) -> dict[str, int]:
    counts = {k: v for k, v in emulator.admin.calls().items() if (v and k in ab.OPERATIONS) or "throttled" in k}
    emulator.admin.reset_calls()
    return counts


def test_place_then_refresh_to_delivered(tmp_path: Path, emulator: RunningEmulator) -> None:
    stack = make_stack(tmp_path, emulator)
    up = stack.up(program=optics())
    assert up.summary.resource_changes == {"create": 2}
    assert calls(emulator) == {"lwaToken": 1, "orderDetails": 1, "placeOrder": 1}  # a look (404), then the order
    order = up.outputs["order"].value
    assert order["delivery_status"] == "ORDERED" and order["total"] == subtotal(QSFP.price, 4)
    [line] = order["line_item_results"]
    assert line["accepted_quantity"] == 4 and line["order_identifier"].startswith("114-")
    emulator.admin.advance_days(1.5)
    stack.refresh(run_program=True, program=optics())
    assert stack.outputs()["order"].value["delivery_status"] == "SHIPPED"
    emulator.admin.advance_days(2)
    stack.refresh(run_program=True, program=optics())
    shown = stack.outputs()["order"].value
    assert shown["delivery_status"] == "DELIVERED"
    [package] = shown["line_item_results"][0]["packages"]
    assert package["status"] == "DELIVERED" and package["tracking_number"].startswith("TBA")
    assert [r["order_status"] for r in shown["line_item_results"]] == ["CLOSED"]
    # Each refresh: orderDetails, the order report by the PO number, then the Package Tracking API for each
    # package not yet delivered.
    assert calls(emulator) == {"lwaToken": 2, "orderDetails": 2, "getOrderReportsByPurchaseOrderNumber": 2,
                               "getPackageTrackingDetails": 2}
    stack.refresh(run_program=True, program=optics())
    assert calls(emulator) == {"lwaToken": 1, "orderDetails": 1}  # a closed order is not asked again
    destroyed = stack.destroy(program=optics())
    assert "was NOT cancelled" in destroyed.stdout + destroyed.stderr
    assert calls(emulator) == {}


def test_two_packages_one_delayed_then_delivered_with_charges_kept_apart(tmp_path: Path,
                                                                         emulator: RunningEmulator) -> None:
    stack = make_stack(tmp_path, emulator)
    program = optics(lines=[line(QSFP, 4), line(PDU, 1)])  # each line ships in its own package
    order = stack.up(program=program).outputs["order"].value
    qsfp, pdu = order["line_item_results"]
    # US tax and the PDU's shipping fee beside the subtotals the expectations approved.
    assert (qsfp["charge"], qsfp["tax"], pdu["charge"], pdu["shipping"]) == (516.0, 52.89, 899.0, 45.0)
    assert order["total"] == 1415.0
    assert order["charges"] == {"subtotal": 1415.0, "tax": 145.04, "shipping": 45.0, "discount": 0.0,
                                "total": 1605.04}
    emulator.admin.advance_days(1.5)
    stack.refresh(run_program=True, program=program)
    shipped = stack.outputs()["order"].value
    [late] = shipped["line_item_results"][1]["packages"]
    emulator.admin.set_amazon_business_package_status(late["tracking_number"], "DELAYED")
    stack.refresh(run_program=True, program=program)
    delayed = stack.outputs()["order"].value
    assert delayed["delivery_status"] == "DELAYED"
    assert [r["packages"][0]["status"] for r in delayed["line_item_results"]] == ["SHIPPED", "DELAYED"]
    emulator.admin.set_amazon_business_package_status(late["tracking_number"], None)  # back on the clock
    emulator.admin.advance_days(2)
    stack.refresh(run_program=True, program=program)
    delivered = stack.outputs()["order"].value
    assert delivered["delivery_status"] == "DELIVERED"
    assert [r["packages"][0]["status"] for r in delivered["line_item_results"]] == ["DELIVERED", "DELIVERED"]


def test_an_order_waits_for_approval_then_ships_one_package_late_and_is_delivered(
        tmp_path: Path, emulator: RunningEmulator) -> None:
    emulator.admin.require_amazon_business_approval(1000.0)  # the business's rule: from $1,000, an approver
    project = ab_project(tmp_path, emulator)
    stack = project.stack(lambda: None)
    program = optics(lines=[line(QSFP, 4), line(PDU, 1)])  # $1,415: two Amazon orders, a package each
    placed = stack.up(program=program).outputs["order"].value
    assert placed["delivery_status"] == "ORDERED" and placed["placed_at"].endswith("Z")
    emulator.admin.advance_days(2)  # waiting: nothing ships, whatever the clock
    stack.refresh(run_program=True, program=program)
    waiting = stack.outputs()["order"].value
    assert waiting["delivery_status"] == "PENDING_APPROVAL"
    assert [(r["order_status"], r.get("packages")) for r in waiting["line_item_results"]] == \
        [("PENDING_APPROVAL", None)] * 2
    board = project.outposts_orders("status", "--stack", "dev", "--cwd", str(project.work_dir), "--markdown")
    assert board.returncode == 0, board.stderr
    assert board.stdout.count("PENDING_APPROVAL") >= 3  # the order, and each Amazon order

    emulator.admin.decide_amazon_business_approval(placed["external_id"], "APPROVED", "lead@example.com")
    emulator.admin.advance_days(1.5)  # shipped a day after the approval
    stack.refresh(run_program=True, program=program)
    shipped = stack.outputs()["order"].value
    assert shipped["delivery_status"] == "SHIPPED"
    assert {(r["order_status"], r["approved_by"]) for r in shipped["line_item_results"]} == {
        ("PENDING_FULFILLMENT", "lead@example.com")}
    late = shipped["line_item_results"][1]["packages"][0]
    emulator.admin.set_amazon_business_package_status(late["tracking_number"], "DELAYED")
    stack.refresh(run_program=True, program=program)
    delayed = stack.outputs()["order"].value
    assert delayed["delivery_status"] == "DELAYED"
    assert [r["packages"][0]["status"] for r in delayed["line_item_results"]] == ["SHIPPED", "DELAYED"]
    emulator.admin.set_amazon_business_package_status(late["tracking_number"], "DELIVERED")
    emulator.admin.advance_days(2)
    stack.refresh(run_program=True, program=program)
    delivered = stack.outputs()["order"].value
    assert delivered["delivery_status"] == "DELIVERED"
    assert [r["order_status"] for r in delivered["line_item_results"]] == ["CLOSED", "CLOSED"]
    assert delivered["charges"]["total"] == 1605.04  # tax and shipping apart, as placed
    assert len(placed_orders(emulator)) == 1


def test_an_order_cancelled_by_amazon_is_shown_cancelled_and_forgotten_without_alarm(
        tmp_path: Path, emulator: RunningEmulator) -> None:
    project = ab_project(tmp_path, emulator)
    stack = project.stack(lambda: None)
    program = optics(lines=[line(QSFP, 4), line(PDU, 1)])
    placed = stack.up(program=program).outputs["order"].value
    pdu_order = placed["line_item_results"][1]["order_identifier"]
    emulator.admin.cancel_amazon_business_order(placed["external_id"], "AMAZON", pdu_order)
    refreshed = stack.refresh(run_program=True, program=program)
    assert f"Amazon Business order {pdu_order}" in refreshed.stdout + refreshed.stderr
    assert "was CANCELLED" in refreshed.stdout + refreshed.stderr
    partly = stack.outputs()["order"].value
    assert [r["order_status"] for r in partly["line_item_results"]] == ["PENDING_FULFILLMENT", "CANCELLED"]
    assert partly["delivery_status"] == "ORDERED" and partly["total"] == 516.0  # the PDU is not charged
    emulator.admin.cancel_amazon_business_order(placed["external_id"], "AMAZON")  # and the optics
    stack.refresh(run_program=True, program=program)
    cancelled = stack.outputs()["order"].value
    assert cancelled["delivery_status"] == "CANCELLED" and cancelled["total"] == 0.0
    emulator.admin.advance_days(4)
    stack.refresh(run_program=True, program=program)
    assert "packages" not in str(stack.outputs()["order"].value["line_item_results"])  # never shipped
    assert calls(emulator).get("getOrderReportsByPurchaseOrderNumber") == 2  # not asked once all cancelled
    board = project.outposts_orders("status", "--stack", "dev", "--cwd", str(project.work_dir), "--markdown")
    assert board.stdout.count("❌ CANCELLED") == 2, board.stdout
    preview = stack.preview(program=lambda: None, json=True).stdout
    review = project.outposts_orders("review", "-", stdin=preview)
    assert "was CANCELLED at the last refresh: it is not delivered" in review.stdout, review.stdout
    assert "NOT cancelled" not in review.stdout
    stack.destroy(program=program)
    assert calls(emulator) == {}


def test_a_trial_order_places_nothing_and_turned_off_is_placed_once(tmp_path: Path, emulator: RunningEmulator) -> None:
    stack = make_stack(tmp_path, emulator)

    def program(trial: bool) -> Any:
        def run() -> None:
            import pulumi
            order = AmazonBusinessOrder("optics", AmazonBusinessOrderArgs(
                line_items=[line(QSFP, 4)], shipping_address=ADDRESS, buyer_email="buyer@example.com",
                marketplace="US", trial_mode=trial))
            pulumi.export("order", order)
        return run

    tried = stack.up(program=program(True))
    assert "placed nothing" in tried.stdout + tried.stderr
    assert tried.outputs["order"].value["delivery_status"] == "TRIAL"
    assert placed_orders(emulator) == [] and calls(emulator) == {"lwaToken": 1, "placeOrder": 1}
    stack.refresh(run_program=True, program=program(True))
    assert calls(emulator) == {}  # nothing to read
    stack.up(program=program(False))  # no generation needed: the trial placed nothing
    [order] = placed_orders(emulator)
    assert stack.outputs()["order"].value["external_id"] == order["externalId"]
    assert stack.outputs()["order"].value["delivery_status"] == "ORDERED"


def test_a_kit_is_accepted_as_groups_of_items_and_its_lost_answer_is_recovered(
        tmp_path: Path, emulator: RunningEmulator) -> None:
    project = ab_project(tmp_path, emulator)
    stack = project.stack(lambda: None)
    emulator.admin.set_faults({"placeOrder": {"drop_response_after_commit": 1, "error_after_commit": 1}})
    up = stack.up(program=optics(lines=[line(KIT, 2)]))  # 2 kits of 2 transceivers and 2 trunks
    assert "already existed" in up.stdout + up.stderr  # the lost answer's order, found by its externalId
    [row] = up.outputs["order"].value["line_item_results"]
    assert (row["accepted_quantity"], row["accepted_items"], row["rejected_quantity"]) == (2, 8, 0)
    assert len(placed_orders(emulator)) == 1 and calls(emulator)["placeOrder"] == 1
    board = project.outposts_orders("status", "--stack", "dev", "--cwd", str(project.work_dir), "--markdown")
    assert f"{KIT.asin} x2 (8 items)" in board.stdout, board.stdout


EU_SAMPLE = ab.SEED_PRODUCTS[3]


def test_two_stores_with_two_tokens_in_one_stack(tmp_path: Path, emulator: RunningEmulator) -> None:
    stack = make_stack(tmp_path, emulator)
    env = workspace_env(stack)
    del env["AMAZON_BUSINESS_LWA_REFRESH_TOKEN"]  # each store's own token, as Amazon Business issues them
    env.update(AMAZON_BUSINESS_LWA_REFRESH_TOKEN_UK=ab.STORE_REFRESH_TOKENS["UK"],
               AMAZON_BUSINESS_LWA_REFRESH_TOKEN_DE=ab.STORE_REFRESH_TOKENS["DE"])

    def program() -> None:
        for store in ("UK", "DE"):
            AmazonBusinessOrder(f"optics-{store.lower()}", AmazonBusinessOrderArgs(
                line_items=[line(EU_SAMPLE, 2, charge_currency="EUR")], shipping_address=ADDRESS,
                buyer_email="buyer@example.com", marketplace=store))

    stack.up(program=program)
    assert len(placed_orders(emulator)) == 2
    assert calls(emulator)["lwaToken"] == 2  # one access token per store's refresh token
    stack.refresh(program=program)
    assert calls(emulator)["lwaToken"] == 2
    # A store whose token is missing is named; the other store's token is never used for it.
    del env["AMAZON_BUSINESS_LWA_REFRESH_TOKEN_DE"]
    env["AMAZON_BUSINESS_LWA_REFRESH_TOKEN"] = ab.STORE_REFRESH_TOKENS["UK"]
    def one_more() -> None:
        program()
        AmazonBusinessOrder("optics-de-2", AmazonBusinessOrderArgs(
            line_items=[line(EU_SAMPLE, 1, charge_currency="EUR")], shipping_address=ADDRESS,
            buyer_email="buyer@example.com", marketplace="DE"))

    with pytest.raises(auto.CommandError) as refused:
        stack.up(program=one_more)
    assert "issued for the UK store, not DE" in str(refused.value)
    assert len(placed_orders(emulator)) == 2


def test_a_lost_place_order_answer_is_resolved_by_order_details_with_no_second_send(
        tmp_path: Path, emulator: RunningEmulator) -> None:
    stack = make_stack(tmp_path, emulator)
    emulator.admin.set_faults({"placeOrder": {"drop_response_after_commit": 1, "error_after_commit": 1}})
    up = stack.up(program=optics())  # orderDetails by the externalId finds the order the lost answer placed
    [state] = resources(stack, TYPE)
    assert [o["externalId"] for o in placed_orders(emulator)] == [state["id"]]
    assert state["outputs"]["line_item_results"][0]["accepted_quantity"] == 4
    assert calls(emulator) == {"lwaToken": 1, "orderDetails": 2, "placeOrder": 1}  # never sent again
    assert "already existed" in up.stdout + up.stderr


def test_a_lost_answer_that_cannot_be_looked_up_then_up_again_is_one_order(
        tmp_path: Path, emulator: RunningEmulator) -> None:
    stack = make_stack(tmp_path, emulator)
    watcher = lost_then_unreadable(emulator)
    with pytest.raises(auto.CommandError, match="outcome is unknown") as failed:
        stack.up(program=optics())
    watcher.join()
    emulator.admin.clear_faults()
    assert "Run `pulumi up` again" in str(failed.value)
    assert resources(stack, TYPE) == [] and len(placed_orders(emulator)) == 1  # placed, but not tracked
    # Another machine: a fresh Pulumi home, the same stack state; the externalId needs neither.
    workspace_env(stack)["PULUMI_HOME"] = str(tmp_path / "another-machine")
    stack.up(program=optics())
    [state] = resources(stack, TYPE)
    assert [o["externalId"] for o in placed_orders(emulator)] == [state["id"]]
    assert calls(emulator)["placeOrder"] == 1  # the lost one; up again found it by its externalId


def test_a_placed_order_changes_only_with_a_raised_generation(tmp_path: Path, emulator: RunningEmulator) -> None:
    stack = make_stack(tmp_path, emulator)
    stack.up(program=optics(quantity=4))
    [first] = resources(stack, TYPE)
    calls(emulator)
    assert stack.preview(program=optics(quantity=4, generation=1)).change_summary == {"same": 2}  # 1 is the default
    # A fixed typo must not silently add a second order beside the first (which cannot be cancelled).
    with pytest.raises(auto.CommandError) as refused:
        stack.preview(program=optics(quantity=6))
    assert "line_items differs from the Amazon Business order placed as generation 1" in str(refused.value)
    assert "set generation to 2" in str(refused.value)
    preview = stack.preview(program=optics(quantity=6, generation=2), diff=True)
    assert preview.change_summary.get(auto.OpType.REPLACE) == 1
    assert "the old one cannot be cancelled" in preview.stdout + preview.stderr
    assert calls(emulator) == {}
    # The new order's answer is lost and it cannot be looked up: the replacement fails, the old order stays tracked.
    watcher = lost_then_unreadable(emulator)
    with pytest.raises(auto.CommandError, match="outcome is unknown"):
        stack.up(program=optics(quantity=6, generation=2))
    watcher.join()
    emulator.admin.clear_faults()
    assert [r["id"] for r in resources(stack, TYPE)] == [first["id"]]
    # Again: the same generation, so the same externalId: the order placed by the failed run is taken.
    up = stack.up(program=optics(quantity=6, generation=2))
    assert "was NOT cancelled" in up.stdout + up.stderr
    [second] = resources(stack, TYPE)
    assert second["id"] != first["id"] and second["outputs"]["order_generation"] == 2
    live = {o["externalId"]: o for o in placed_orders(emulator)}
    assert set(live) == {first["id"], second["id"]}  # the old order continues: there is no cancel
    assert live[second["id"]]["lineItems"][0]["quantity"] == 6


def test_replace_with_nothing_changed_places_nothing(tmp_path: Path, emulator: RunningEmulator) -> None:
    stack = make_stack(tmp_path, emulator)
    stack.up(program=optics())
    [before] = resources(stack, TYPE)
    calls(emulator)
    stack.up(program=optics(), replace=[before["urn"]])
    [after] = resources(stack, TYPE)
    assert after["id"] == before["id"]
    assert [o["externalId"] for o in placed_orders(emulator)] == [before["id"]]
    assert calls(emulator) == {"lwaToken": 1, "orderDetails": 1}  # found by its externalId: nothing placed


def test_destroyed_then_declared_again_is_refused_unless_generation_is_raised(
        tmp_path: Path, emulator: RunningEmulator) -> None:
    stack = make_stack(tmp_path, emulator)
    stack.up(program=optics(quantity=4))
    [first] = resources(stack, TYPE)
    stack.destroy(program=optics())
    with pytest.raises(auto.CommandError, match="already names an Amazon Business order") as refused:
        stack.up(program=optics(quantity=5))
    assert "raise `generation`" in str(refused.value)
    assert [o["externalId"] for o in placed_orders(emulator)] == [first["id"]]
    stack.up(program=optics(quantity=4))  # declared as it was: the order is tracked again, not placed again
    assert [r["id"] for r in resources(stack, TYPE)] == [first["id"]]
    assert len(placed_orders(emulator)) == 1
    stack.destroy(program=optics())
    stack.up(program=optics(quantity=5, generation=2))  # a second order, asked for
    assert len(placed_orders(emulator)) == 2


def test_partial_acceptance_is_reported_exactly(tmp_path: Path, emulator: RunningEmulator) -> None:
    stack = make_stack(tmp_path, emulator)
    up = stack.up(program=optics(lines=[line(QSFP, 4), line(PDU, PDU.available + 5)]))
    assert "partially accepted" in up.stdout + up.stderr and "QUANTITY_UNAVAILABLE" in up.stdout + up.stderr
    order = up.outputs["order"].value
    accepted, rejected = order["line_item_results"]
    assert (accepted["accepted_quantity"], accepted["rejected_quantity"]) == (4, 0)
    assert (rejected["accepted_quantity"], rejected["rejected_quantity"]) == (0, PDU.available + 5)
    assert rejected["rejections"][0]["code"] == "QUANTITY_UNAVAILABLE"
    assert order["total"] == subtotal(QSFP.price, 4) and order["delivery_status"] == "ORDERED"


def test_unavailable_quantity_is_refused_and_nothing_placed(tmp_path: Path, emulator: RunningEmulator) -> None:
    stack = make_stack(tmp_path, emulator)
    with pytest.raises(auto.CommandError) as refused:
        stack.up(program=optics(lines=[line(PDU, PDU.available + 1)]))
    assert "QUANTITY_UNAVAILABLE" in str(refused.value) and "nothing was placed" in str(refused.value)
    assert resources(stack, TYPE) == [] and placed_orders(emulator) == []


def test_throttled_place_order_waits_and_is_placed_once(tmp_path: Path, emulator: RunningEmulator) -> None:
    stack = make_stack(tmp_path, emulator)
    emulator.admin.set_faults({"placeOrder": {"throttle_next_calls": 3}})  # other tools used the quota
    stack.up(program=optics())
    assert calls(emulator) == {"lwaToken": 1, "orderDetails": 1, "placeOrder": 4, "placeOrder.throttled": 3}
    assert len(placed_orders(emulator)) == 1
    assert resources(stack, TYPE)[0]["outputs"]["delivery_status"] == "ORDERED"


def test_moved_price_is_refused_and_nothing_placed(tmp_path: Path, emulator: RunningEmulator) -> None:
    stack = make_stack(tmp_path, emulator)
    emulator.admin.set_amazon_business_product(QSFP.asin, price=149.0)
    with pytest.raises(auto.CommandError) as refused:
        stack.up(program=optics())
    assert "BROKEN_EXPECTATION" in str(refused.value) and "nothing was placed" in str(refused.value)
    assert resources(stack, TYPE) == []
    [product] = [p for p in emulator.admin.amazon_business_products() if p["asin"] == QSFP.asin]
    assert product["available"] == QSFP.available  # nothing reserved
    stack.up(program=optics(unit_price=149.0))  # the buyer accepts the new price: the externalId is still free
    assert resources(stack, TYPE)[0]["outputs"]["total"] == 596.0


@pytest.mark.parametrize(("program", "named"), [
    (optics(charge_currency="EUR"), "line_items[0].expected_charge.currency"),  # the seed's fourth example
    (optics(quantity=0), "line_items[0].quantity"),
    (optics(marketplace="ZZ"), "marketplace 'ZZ' is not an Amazon Business marketplace"),
    (optics(quantity=2**31), "line_items[0].quantity"),
    (optics(lines=[AmazonBusinessLineItemArgs(  # 4 x 129.00 is 516.00: Amazon would refuse the line
        asin=QSFP.asin, buying_option_id=QSFP.buying_option_id, quantity=4,
        expected_unit_price=MoneyArgs("USD", 129.0), expected_charge=MoneyArgs("USD", 500.0))]),
     "line_items[0].expected_charge.amount is 500.0 but expected_unit_price x quantity is 516.00"),
    (optics(lines=[replace(line(QSFP, 1), external_id="qsfp"), replace(line(QSFP, 2), external_id="qsfp")]),
     "line_items[1].external_id: external_id 'qsfp' is also line_items[0]'s: line-item external IDs must be unique"),
])
def test_invalid_inputs_fail_at_preview_with_zero_calls(tmp_path: Path, emulator: RunningEmulator,
                                                        program: Any, named: str) -> None:
    stack = make_stack(tmp_path, emulator)
    with pytest.raises(auto.CommandError) as failed:
        stack.preview(program=program)
    assert named in str(failed.value)
    assert calls(emulator) == {}


def test_refresh_that_cannot_find_the_order_keeps_it(tmp_path: Path, emulator: RunningEmulator) -> None:
    stack = make_stack(tmp_path, emulator)
    stack.up(program=optics())
    [before] = resources(stack, TYPE)
    with RunningEmulator() as elsewhere:  # another Amazon Business account or marketplace host
        workspace_env(stack)["AMAZON_BUSINESS_ENDPOINT"] = elsewhere.endpoint
        with pytest.raises(auto.CommandError, match="the order stays in the stack unchanged"):
            stack.refresh()
    [after] = resources(stack, TYPE)
    assert (after["id"], after["outputs"]) == (before["id"], before["outputs"])


def test_an_order_placed_as_region_is_never_replaced_after_the_rename(tmp_path: Path,
                                                                      emulator: RunningEmulator) -> None:
    """A stack whose state says ``region`` (written before ``marketplace``): preview and up show no change
    and place nothing, with the program old or new; refresh reads the order and records ``marketplace``."""
    stack = make_stack(tmp_path, emulator)
    stack.up(program=optics())
    deployment = stack.export_stack()
    assert deployment.deployment is not None
    [state] = [r for r in deployment.deployment["resources"] if r.get("type") == TYPE]
    for part in ("inputs", "outputs"):
        state[part]["region"] = state[part].pop("marketplace")
    stack.import_stack(deployment)
    [before] = resources(stack, TYPE)
    assert before["outputs"]["region"] == "US" and "marketplace" not in before["outputs"]
    calls(emulator)
    for program, deprecated in ((optics_as_before(), True), (optics(), False)):
        preview = stack.preview(program=program, diff=True)
        assert preview.change_summary == {"same": 2}
        up = stack.up(program=program)
        assert up.summary.resource_changes == {"same": 2}
        assert ("`region` is deprecated: use `marketplace`" in up.stdout + up.stderr) is deprecated
    assert calls(emulator) == {}  # nothing placed, nothing read
    assert [o["externalId"] for o in placed_orders(emulator)] == [before["id"]]
    [kept] = resources(stack, TYPE)
    assert kept["id"] == before["id"] and kept["outputs"]["region"] == "US"  # outputs stay until refresh
    stack.refresh()
    [refreshed] = resources(stack, TYPE)
    assert refreshed["outputs"]["marketplace"] == "US" and "region" not in refreshed["outputs"]
    assert refreshed["outputs"]["line_item_results"][0]["accepted_quantity"] == 4
    assert calls(emulator) == {"lwaToken": 1, "orderDetails": 1, "getOrderReportsByPurchaseOrderNumber": 1}
    assert stack.preview(program=optics()).change_summary == {"same": 2}


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
    assert calls(emulator) == {"lwaToken": 1, "orderDetails": 1, "placeOrder": 1}


KILLED_PROGRAM = f"""
from pulumi_outposts_orders.amazon_business.resource import AmazonBusinessOrder
for name in ("optics-a", "optics-b"):  # two identical orders, declared twice on purpose
    AmazonBusinessOrder(name, line_items=[{{"asin": "{QSFP.asin}", "buying_option_id": "{QSFP.buying_option_id}",
                                            "quantity": 4}}],
                        shipping_address={{"full_name": "Site Ops", "address_line1": "1 Main St", "city": "Seattle",
                                          "postal_code": "98109", "country_code": "US"}},
                        buyer_email="buyer@example.com", marketplace="US")
"""


def test_a_killed_up_resumed_on_another_machine_keeps_one_order_each(tmp_path: Path,
                                                                      emulator: RunningEmulator) -> None:
    project = ab_project(tmp_path, emulator)
    (project.work_dir / "__main__.py").write_text(KILLED_PROGRAM)
    assert project.run("pulumi", "stack", "init", "dev").returncode == 0
    kill_up_while_creating(project, emulator, "placeOrder")  # killed while Amazon holds the placeOrder
    assert len(placed_orders(emulator)) >= 1
    project.env["PULUMI_HOME"] = str(tmp_path / "another-machine")  # a new runner: nothing local survives
    stack = project.stack()
    stack.cancel()
    stack.refresh(clear_pending_creates=True)
    stack.up()
    tracked = sorted(r["id"] for r in resources(stack, TYPE))
    assert len(tracked) == 2 and sorted(o["externalId"] for o in placed_orders(emulator)) == tracked


def test_thirty_orders_under_the_usage_plan(tmp_path: Path, emulator: RunningEmulator) -> None:
    speedup = 10.0
    emulator.admin.set_usage_plan(speedup)
    stack = make_stack(tmp_path, emulator)
    started = time.monotonic()
    stack.up(program=optics(quantity=1, count=30), parallel=30)
    elapsed = time.monotonic() - started
    assert len(resources(stack, TYPE)) == 30
    counts = calls(emulator)
    assert counts.get("placeOrder.throttled", 0) == 0 and counts["placeOrder"] == 30
    placed = sorted(o["wallPlacedAt"] for o in emulator.admin.amazon_business_orders())
    floor = (30 - ab.BURST) / (ab.RATE_PER_S * speedup)
    assert floor * 0.9 <= placed[-1] - placed[0] <= floor * 1.5 + 1.0
    assert elapsed >= floor


def test_two_runners_sharing_the_application_limits_place_each_order_once(tmp_path: Path,
                                                                           emulator: RunningEmulator) -> None:
    """Two stacks on two runners (each its own project, state, Pulumi home and environment) place 12 orders each
    at once through one application: its usage plan is shared, so the service throttles what the two clients'
    buckets let through together. Every order is placed once and both updates succeed."""
    emulator.admin.set_usage_plan(5.0)
    runners = [ab_project(tmp_path / name, emulator) for name in ("runner-a", "runner-b")]
    assert runners[0].env is not runners[1].env
    stacks = [project.stack(lambda: None) for project in runners]
    emulator.admin.reset_calls()
    failures: list[BaseException] = []

    def up(stack: auto.Stack, name: str) -> None:
        try:
            stack.up(program=optics(name=name, quantity=1, count=12), parallel=12)
        except BaseException as error:  # reported below
            failures.append(error)

    threads = [threading.Thread(target=up, args=(stack, name)) for stack, name in zip(stacks, ("a", "b"),
                                                                                       strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    counts = calls(emulator)
    assert counts.get("orderDetails.throttled", 0) + counts.get("placeOrder.throttled", 0) > 0  # they did collide
    tracked = sorted(r["id"] for stack in stacks for r in resources(stack, TYPE))
    placed = [o["externalId"] for o in placed_orders(emulator)]
    assert len(tracked) == 24 and sorted(placed) == tracked  # each order once, tracked by its own stack
    assert counts["placeOrder"] - counts.get("placeOrder.throttled", 0) == 24  # never placed twice

