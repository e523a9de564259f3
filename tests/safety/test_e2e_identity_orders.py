"""Order identity, through the real engine against the emulator: what a replacement, a quote, another
stack, a full disk and a typo can and cannot do to the orders a customer has.

Each test asserts the live orders in the emulator and the orders each stack tracks. The numbers are the
cases of the identity issue: a quote-based order "changed" (4), another stack's order found after an
unknown outcome (5), a journal write that fails after AWS answered (6), a fat-finger quantity (9).
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pulumi
import pytest
from e2e_project import Project, new_project, resources
from e2e_project import live_orders as live
from e2e_project import order_statuses as statuses
from e2e_project import outposts_client as client
from pulumi import ResourceOptions
from pulumi import automation as auto

from pulumi_outposts_orders._tokens import ORDER_TYPE
from pulumi_outposts_orders.emulator.outposts import seed
from pulumi_outposts_orders.emulator.testing import RunningEmulator
from safety.test_e2e_one_live_order import program, quoted, rack

pytestmark = pytest.mark.e2e


def tracked(stack: auto.Stack) -> list[str]:
    return sorted(r["id"] for r in resources(stack, ORDER_TYPE))


@pytest.fixture
def project(tmp_path: Path, emulator: RunningEmulator) -> Project:
    return new_project(tmp_path, emulator, name="identity")


@pytest.mark.parametrize(
    "change",
    [{"quote_option_identifier": seed.QUOTE_OPTION_IDS[1]}, {"payment_term": "ONE_YEAR"}],
    ids=["another-option", "another-term"],
)
def test_4_a_quote_based_order_cannot_be_changed_and_nothing_is_cancelled(
    project: Project, emulator: RunningEmulator, change: dict[str, Any]
) -> None:
    stack = project.stack(program(rack=quoted()))
    [order] = [stack.up().outputs["rack"].value]
    changed = program(rack={**quoted(), **change})
    for attempt in (stack.preview, stack.up):
        with pytest.raises(auto.CommandError) as refused:
            attempt(program=changed)
        assert "A quote is ordered once" in str(refused.value) and "new quote" in str(refused.value)
    assert statuses(emulator)[order] == "PREPARING"  # not cancelled
    assert live(emulator) == tracked(stack) == [order]


def test_5_an_order_of_another_stack_found_after_an_unknown_outcome_is_never_adopted(
    tmp_path: Path, emulator: RunningEmulator
) -> None:
    first = new_project(tmp_path / "a", emulator, name="site-a")
    second = new_project(tmp_path / "b", emulator, name="site-b")
    second.env = {**second.env, "PULUMI_OUTPOSTS_ORDERS_JOURNAL": str(tmp_path / "runner-b-journal")}  # own runner
    stack_a, stack_b = first.stack(program(rack=rack())), second.stack(program(rack=rack()))
    # Stack A's CreateOrder is held, then answered 500 without placing anything; meanwhile stack B, on
    # another runner, places the identical order.
    emulator.admin.set_faults({"CreateOrder": {"latency_ms": 20000, "error_rate": 1.0}})
    failure: list[BaseException] = []

    def up_a() -> None:
        try:
            stack_a.up()
        except BaseException as exc:
            failure.append(exc)

    running = threading.Thread(target=up_a)
    running.start()
    deadline = time.monotonic() + 60
    while emulator.admin.calls().get("CreateOrder", 0) == 0:
        assert time.monotonic() < deadline and running.is_alive(), "stack A never sent CreateOrder"
        time.sleep(0.05)
    emulator.admin.clear_faults()
    stack_b.up()
    running.join(120)
    [order_b] = tracked(stack_b)
    assert failure and isinstance(failure[0], auto.CommandError)
    message = str(failure[0])
    assert "is unknown" in message and f'adopt_order_id="{order_b}"' in message
    assert tracked(stack_a) == []  # stack B's order is not taken: destroying A can never cancel it
    assert live(emulator) == [order_b]


def test_6_a_journal_write_that_fails_after_aws_answered_still_tracks_the_order(
    project: Project, emulator: RunningEmulator
) -> None:
    journal = Path(project.env["PULUMI_OUTPOSTS_ORDERS_JOURNAL"])
    stack = project.stack(program(rack=rack()))
    emulator.admin.set_faults({"CreateOrder": {"latency_ms": 3000}})
    outcome: list[Any] = []
    running = threading.Thread(target=lambda: outcome.append(stack.up()))
    running.start()
    deadline = time.monotonic() + 60
    while emulator.admin.calls().get("CreateOrder", 0) == 0:
        assert time.monotonic() < deadline and running.is_alive(), "pulumi up never sent CreateOrder"
        time.sleep(0.05)
    shutil.rmtree(journal)
    journal.write_text("not a directory: every journal write now fails, as on a full disk")
    running.join(120)
    emulator.admin.clear_faults()
    assert outcome, "pulumi up failed although AWS placed the order"
    assert "was placed and is tracked by the stack" in outcome[0].stdout
    assert live(emulator) == tracked(stack) and len(tracked(stack)) == 1


def test_9_a_fat_finger_quantity_is_refused_at_preview_until_the_limit_is_raised(
    project: Project, emulator: RunningEmulator
) -> None:
    stack = project.stack(program(rack=rack(quantity=1_000_000)))
    with pytest.raises(auto.CommandError) as refused:
        stack.preview()
    message = str(refused.value)
    assert "line_items[0].quantity: 1000000 units" in message and "outposts-orders:maxUnitsPerLine" in message
    stack.workspace.program = program(rack=rack(quantity=21))
    with pytest.raises(auto.CommandError, match="limit of 20"):
        stack.up()
    assert live(emulator) == []
    stack.set_config("outposts-orders:maxUnitsPerLine", auto.ConfigValue("25"))
    stack.up()
    assert live(emulator) == tracked(stack) and len(tracked(stack)) == 1


def test_the_look_before_sending_stops_only_for_identical_orders_inside_its_window(
    project: Project, emulator: RunningEmulator
) -> None:
    outside = client(emulator).create_order(  # placed by someone else: tracked by no stack
        OutpostIdentifier=seed.RACK_OUTPOST_ID, PaymentOption="ALL_UPFRONT", PaymentTerm="THREE_YEARS",
        LineItems=[{"CatalogItemId": seed.RACK_CATALOG_ITEM_ID, "Quantity": 1}])["Order"]["OrderId"]
    stack = project.stack(program(rack=rack()))
    with pytest.raises(auto.CommandError, match=f'adopt_order_id="{outside}"'):
        stack.up()  # recent and identical: it may be this resource's own order from a killed run
    stack.set_config("outposts-orders:recentOrderWindowHours", auto.ConfigValue("0.0005"))  # 1.8 seconds
    time.sleep(2.5)
    stack.up()  # the same order, now older than the window: not looked for, a new order is placed
    [placed] = tracked(stack)
    assert placed != outside and live(emulator) == sorted([outside, placed])


def test_a_create_first_replacement_set_by_a_transformation_orders_nothing_while_the_old_order_is_live(
    project: Project, emulator: RunningEmulator
) -> None:
    def create_first(args: pulumi.ResourceTransformationArgs) -> pulumi.ResourceTransformationResult:
        return pulumi.ResourceTransformationResult(args.props, ResourceOptions.merge(
            args.opts, ResourceOptions(delete_before_replace=False)))

    def declared(quantity: int) -> Callable[[], None]:
        def run() -> None:
            pulumi.runtime.register_stack_transformation(create_first)
            program(rack=rack(quantity=quantity))()
        return run

    stack = project.stack(declared(1))
    [old] = [stack.up().outputs["rack"].value]
    # The engine lets the option win over the provider's diff and creates the replacement first: the
    # create knows which order it replaces and refuses while that order is live.
    with pytest.raises(auto.CommandError) as refused:
        stack.up(program=declared(2))
    assert f"order {old} is still live" in str(refused.value) and "delete_before_replace" in str(refused.value)
    assert live(emulator) == tracked(stack) == [old]
