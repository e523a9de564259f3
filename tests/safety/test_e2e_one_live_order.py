"""At most one live order per resource, through the real engine: replacements, other machines, races.

Each test asserts what a customer would check: the live orders in the emulator (ListOrders +
GetOrder, outside any stack) and the orders the stack tracks. The numbers in the test names are the
cases of the safety issue: forced replacement (1), retained replacement (2), a killed run resumed
on this or another machine (3), two identical resources racing through lost responses (5), a
cancelled order never adopted (6), adopted orders claimed (7), one quote ordered by two resources
(8), an ambiguous expected price (9), an unreadable journal (10) and a service clock that lags
(11). Orders that cannot be found (4) are in ``tests/orders/test_e2e_order_lifecycle.py``.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pulumi
import pytest
from e2e_project import Project, kill_up_while_creating, new_project
from e2e_project import live_orders as live
from e2e_project import order_statuses as statuses
from e2e_project import order_urn as urn_of
from e2e_project import outposts_client as client
from e2e_project import tracked_orders as tracked
from pulumi import ResourceOptions
from pulumi import automation as auto

from pulumi_outposts_orders import LineItemArgs, OutpostOrder
from pulumi_outposts_orders.emulator.outposts import seed
from pulumi_outposts_orders.emulator.testing import RunningEmulator

pytestmark = pytest.mark.e2e

OUTPOST_ARN = f"arn:aws:outposts:{seed.REGION}:{seed.ACCOUNT_ID}:outpost/{seed.RACK_OUTPOST_ID}"
TWO_ITEMS = [(seed.RACK_CATALOG_ITEM_ID, 1), (seed.SECOND_RACK_CATALOG_ITEM_ID, 2)]


def rack(quantity: int = 1, **inputs: Any) -> dict[str, Any]:
    declared: dict[str, Any] = {
        "outpost_identifier": seed.RACK_OUTPOST_ID,
        "line_items": [LineItemArgs(catalog_item_id=seed.RACK_CATALOG_ITEM_ID, quantity=quantity)],
        "payment_option": "ALL_UPFRONT",
        "payment_term": "THREE_YEARS",
    }
    return {**declared, **inputs}


def quoted(**inputs: Any) -> dict[str, Any]:
    return rack(line_items=None, quote_identifier=seed.QUOTE_ID, quote_option_identifier=seed.QUOTE_OPTION_IDS[0],
                **inputs)


def program(**declared: dict[str, Any]) -> Callable[[], None]:
    def run() -> None:
        for name, inputs in declared.items():
            inputs = dict(inputs)
            opts = inputs.pop("opts", None)
            pulumi.export(name, OutpostOrder(name, opts=opts, **inputs).order_id)

    return run












@pytest.fixture
def project(tmp_path: Path, emulator: RunningEmulator) -> Project:
    return new_project(tmp_path, emulator, name="safety")


# --- 1, 2: replacements ------------------------------------------------------------------------------
def test_1_a_forced_replacement_cancels_first_and_tracks_only_the_new_order(
    project: Project, emulator: RunningEmulator
) -> None:
    stack = project.stack(program(rack=rack()))
    old = stack.up().outputs["rack"].value
    stack.up(replace=[urn_of(stack, "rack")])
    new = tracked(stack)
    assert new != [old] and live(emulator) == new
    assert statuses(emulator)[old] == "CANCELLED"

    emulator.admin.force_order_status(new[0], "IN_PROGRESS")  # now it can no longer be cancelled
    with pytest.raises(auto.CommandError, match="can no longer be cancelled"):
        stack.up(replace=[urn_of(stack, "rack")])
    assert live(emulator) == tracked(stack) == new  # no second live order, still tracked


def test_2_a_change_that_would_replace_a_retained_order_fails_before_ordering(
    project: Project, emulator: RunningEmulator
) -> None:
    retained = ResourceOptions(retain_on_delete=True)
    stack = project.stack(program(rack=rack(opts=retained)))
    first = stack.up().outputs["rack"].value
    more = program(rack=rack(quantity=2, opts=retained))
    for attempt in (stack.preview, stack.up):
        with pytest.raises(auto.CommandError) as refused:
            attempt(program=more)
        assert "retain_on_delete" in str(refused.value) and "declare a new OutpostOrder" in str(refused.value)
    assert live(emulator) == tracked(stack) == [first]


# --- 3: a killed run, resumed here or on another machine -----------------------------------------------
def _program_file(outpost: str, items: list[tuple[str, int]], adopt: str | None = None) -> str:
    lines = ", ".join(f"{{'catalog_item_id': {c!r}, 'quantity': {q}}}" for c, q in items)
    return (
        "import pulumi\nfrom pulumi_outposts_orders import OutpostOrder\n"
        f"order = OutpostOrder('rack', outpost_identifier={outpost!r}, line_items=[{lines}],\n"
        f"    payment_option='ALL_UPFRONT', payment_term='THREE_YEARS', adopt_order_id={adopt!r})\n"
        "pulumi.export('order_id', order.order_id)\n"
    )


def _killed_and_released(project: Project, emulator: RunningEmulator) -> str:
    """A `pulumi up` killed mid-CreateOrder (the order commits), then the README's release of the stack:
    `pulumi cancel` and `pulumi refresh --clear-pending-creates`. Returns the order the killed run placed."""
    assert project.run("pulumi", "stack", "init", "dev").returncode == 0
    kill_up_while_creating(project, emulator)
    [placed] = live(emulator)
    stack = project.stack()
    stack.cancel()
    stack.refresh(clear_pending_creates=True)
    emulator.admin.reset_calls()
    return placed


@pytest.mark.parametrize(
    ("machine", "outpost", "items"),
    [
        ("same", OUTPOST_ARN, TWO_ITEMS),
        ("same", seed.RACK_OUTPOST_ID, list(reversed(TWO_ITEMS))),
        ("other", seed.RACK_OUTPOST_ID, TWO_ITEMS),
        ("other", OUTPOST_ARN, list(reversed(TWO_ITEMS))),
    ],
    ids=["same-machine-arn", "same-machine-item-order", "other-machine", "other-machine-arn-item-order"],
)
def test_3_a_killed_up_resumed_here_or_elsewhere_never_orders_twice(
    project: Project, emulator: RunningEmulator, tmp_path: Path, machine: str, outpost: str,
    items: list[tuple[str, int]],
) -> None:
    main = project.work_dir / "__main__.py"
    main.write_text(_program_file(seed.RACK_OUTPOST_ID, TWO_ITEMS))
    placed = _killed_and_released(project, emulator)
    if machine == "other":  # a new CI runner: an empty journal
        project.env["PULUMI_OUTPOSTS_ORDERS_JOURNAL"] = str(tmp_path / "other-machine-journal")
    main.write_text(_program_file(outpost, items))  # the same order, written another way
    stack = project.stack()
    # Here, the journal shows a send whose answer nobody heard; elsewhere, the look before sending finds an
    # identical recent order. Neither proves the order is this resource's (another stack may have placed it):
    # the update stops, naming it and how to adopt it.
    with pytest.raises(auto.CommandError) as stopped:
        stack.up()
    message = str(stopped.value)
    assert placed in message and f'adopt_order_id="{placed}"' in message and "distinct_from_order_ids" in message
    assert tracked(stack) == []
    main.write_text(_program_file(outpost, items, adopt=placed))
    stack.up()
    assert emulator.admin.calls().get("CreateOrder", 0) == 0
    assert live(emulator) == tracked(stack) == [placed]


# --- 5, 7: concurrent identical resources and adopted orders ----------------------------------------------
def test_5_identical_resources_with_unknown_outcomes_stop_and_are_adopted_by_hand(tmp_path: Path) -> None:
    for run in range(2):  # the two creates race: which one loses its response, and whether both send, varies
        with RunningEmulator() as emulator:
            project = new_project(tmp_path / f"run{run}", emulator, name="race")
            emulator.admin.set_faults({"CreateOrder": {"drop_response_after_commit": 1, "error_after_commit": 1}})
            stack = project.stack(program(first=rack(), second=rack()))
            with pytest.raises(auto.CommandError) as stopped:
                stack.up()
            emulator.admin.clear_faults()
            placed = live(emulator)
            assert 1 <= len(placed) <= 2 and tracked(stack) == [], f"run {run}"  # nothing adopted without proof
            assert all(order in str(stopped.value) for order in placed) and "adopt_order_id" in str(stopped.value)
            names = ("first", "second")
            adopted = {name: rack(adopt_order_id=order) for name, order in zip(names, placed, strict=False)}
            stack.up(program=program(**{"first": rack(), "second": rack(), **adopted}))
            orders = tracked(stack)
            assert len(orders) == 2 and set(placed) <= set(orders) and live(emulator) == orders, f"run {run}"
            stack.up(program=program(first=adopted["first"]))  # removing one cancels its own order only
            assert live(emulator) == tracked(stack) == [placed[0]], f"run {run}"


def test_7_an_adopted_order_is_claimed_so_an_identical_resource_never_takes_it(
    project: Project, emulator: RunningEmulator
) -> None:
    existing = client(emulator).create_order(
        OutpostIdentifier=seed.RACK_OUTPOST_ID, LineItems=[{"CatalogItemId": seed.RACK_CATALOG_ITEM_ID, "Quantity": 1}],
        PaymentOption="ALL_UPFRONT", PaymentTerm="THREE_YEARS")["Order"]["OrderId"]

    def declare() -> None:
        adopted = OutpostOrder("adopted", **rack(adopt_order_id=existing))
        OutpostOrder("new", **rack(), opts=ResourceOptions(depends_on=[adopted]))

    emulator.admin.set_faults({"CreateOrder": {"drop_response_after_commit": 1}})
    stack = project.stack(declare)
    with pytest.raises(auto.CommandError) as stopped:  # the lost order is named; the adopted one never is
        stack.up()
    [lost] = [order for order in live(emulator) if order != existing]
    assert f'adopt_order_id="{lost}"' in str(stopped.value) and existing not in str(stopped.value)
    assert tracked(stack) == [existing]


# --- 6: reconciliation never adopts a cancelled order ------------------------------------------------------
def test_6_a_replacement_with_an_unknown_outcome_never_adopts_the_cancelled_order(
    project: Project, emulator: RunningEmulator
) -> None:
    stack = project.stack(program(rack=rack(quantity=1)))
    first = stack.up().outputs["rack"].value
    stack.up(program=program(rack=rack(quantity=2)))
    emulator.admin.set_faults({"CreateOrder": {"error_after_commit": 1}})
    with pytest.raises(auto.CommandError) as stopped:
        stack.up(program=program(rack=rack(quantity=1)))
    emulator.admin.clear_faults()
    [current] = live(emulator)
    assert current != first and statuses(emulator)[first] == "CANCELLED"
    assert f'adopt_order_id="{current}"' in str(stopped.value) and first not in str(stopped.value)
    stack.up(program=program(rack=rack(quantity=1, adopt_order_id=current)))  # the old order is history
    assert tracked(stack) == live(emulator) == [current]
    assert client(emulator).get_order(OrderId=current)["Order"]["LineItems"][0]["Quantity"] == 1


# --- 8: one quote, two resources ---------------------------------------------------------------------------
def test_8_two_resources_ordering_one_quote_stop_and_one_adopts_it(
    project: Project, emulator: RunningEmulator
) -> None:
    emulator.admin.set_faults({"CreateOrder": {"drop_response_after_commit": 2}})  # both outcomes unknown
    stack = project.stack(program(first=quoted(), second=quoted()))
    with pytest.raises(auto.CommandError) as stopped:
        stack.up()
    emulator.admin.clear_faults()
    [order] = live(emulator)
    assert f'adopt_order_id="{order}"' in str(stopped.value) and tracked(stack) == []  # no proof: nobody takes it
    stack.up(program=program(first=quoted(adopt_order_id=order)))  # one resource adopts it; the other is gone
    assert live(emulator) == tracked(stack) == [order]


# --- 9, 10: an ambiguous price, an unreadable journal ---------------------------------------------------------
def test_9_an_expected_price_without_a_term_must_be_unambiguous(project: Project, emulator: RunningEmulator) -> None:
    quote = client(emulator).get_quote(QuoteIdentifier=seed.QUOTE_ID)["Quote"]
    option = next(o for o in quote["QuoteOptions"] if o["QuoteOptionIdentifier"] == seed.QUOTE_OPTION_IDS[0])
    one_year = next(p["SubscriptionPricingDetails"] for p in option["PricingOptions"]
                    if p["SubscriptionPricingDetails"]["PaymentOption"] == "ALL_UPFRONT"
                    and p["SubscriptionPricingDetails"]["PaymentTerm"] == "ONE_YEAR")
    guard = {"currency": one_year["Currency"], "upfront_price": one_year["UpfrontPrice"]}
    stack = project.stack(program(rack=quoted(payment_term=None, expected_price=guard)))
    with pytest.raises(auto.CommandError, match=r"expected_price is ambiguous.*Set payment_term"):
        stack.up()
    assert emulator.admin.calls().get("CreateOrder", 0) == 0 and statuses(emulator) == {}


def test_10_an_unreadable_journal_record_stops_the_create_and_names_the_file(
    project: Project, emulator: RunningEmulator
) -> None:
    journal = Path(project.env["PULUMI_OUTPOSTS_ORDERS_JOURNAL"])
    journal.mkdir(parents=True, exist_ok=True)
    broken = journal / "0123456789abcdef0123456789abcdef.json"
    broken.write_text('{"version": 1, "key": "stack/rack"')
    stack = project.stack(program(rack=rack()))
    with pytest.raises(auto.CommandError) as stopped:
        stack.up()
    assert str(broken) in str(stopped.value) and "nothing was ordered" in str(stopped.value)
    assert emulator.admin.calls().get("CreateOrder", 0) == 0 and statuses(emulator) == {}


# --- 11: an emulator (or AWS) clock that disagrees with ours -------------------------------------------------
def test_11_a_lost_response_is_found_even_when_the_service_clock_lags_by_an_hour(
    project: Project, emulator: RunningEmulator
) -> None:
    emulator.stop()  # an emulator whose clock is an hour behind this machine's (as the old frozen clock was)
    with sqlite3.connect(emulator.db) as db:
        db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('clock.offset', '-3600.0')")
    emulator.start()
    emulator.admin.set_faults({"CreateOrder": {"drop_response_after_commit": 1}})
    stack = project.stack(program(rack=rack()))
    with pytest.raises(auto.CommandError) as stopped:
        stack.up()
    emulator.admin.clear_faults()
    [order_id] = live(emulator)
    submitted = client(emulator).get_order(OrderId=order_id)["Order"]["OrderSubmissionDate"].timestamp()
    assert submitted < time.time() - 3000  # the service dated it an hour ago
    assert f'adopt_order_id="{order_id}"' in str(stopped.value)  # found all the same: no clock is trusted
    assert emulator.admin.calls()["CreateOrder"] == 1


# --- other machines: what a new CI runner knows ----------------------------------------------------------------
def test_a_new_machine_learns_the_stacks_orders_from_a_refresh_or_a_preview(
    project: Project, emulator: RunningEmulator, tmp_path: Path
) -> None:
    stack = project.stack(program(first=rack()))
    [first] = [stack.up().outputs["first"].value]
    both = program(first=rack(), second=rack())

    project.env = {**project.env, "PULUMI_OUTPOSTS_ORDERS_JOURNAL": str(tmp_path / "runner-2")}
    runner = project.stack(both)
    runner.refresh()  # the stack tracks `first`: this machine now knows it is taken
    runner.up()
    orders = tracked(runner)
    assert first in orders and len(set(orders)) == 2 and live(emulator) == orders

    three = program(first=rack(), second=rack(), third=rack())
    project.env = {**project.env, "PULUMI_OUTPOSTS_ORDERS_JOURNAL": str(tmp_path / "runner-3")}
    runner = project.stack(three)
    runner.preview()  # a preview's diffs record the orders the stack tracks, as a refresh does
    runner.up()
    assert len(set(tracked(runner))) == 3 and live(emulator) == tracked(runner)
