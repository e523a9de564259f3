"""Replacing and deleting orders through the real engine: cancel first, never lose a live order.

A changed quantity replaces an order (cancel, then place); an order in flight is never replaced or
destroyed until it is history (or is retained). Every step asserts the stack (outputs, state) and
the emulator's per-operation call counts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pulumi import ResourceOptions
from pulumi import automation as auto

from pulumi_outposts_orders.emulator.testing import RunningEmulator

from .conftest import StackHarness
from .programs import aws_client, orders, rack

pytestmark = pytest.mark.e2e
Stacks = Callable[..., StackHarness]


def statuses(emulator: RunningEmulator, *order_ids: str) -> list[str]:
    """The orders' statuses as AWS reports them (GetOrder; call counts are reset afterwards)."""
    client = aws_client(emulator)
    found = [client.get_order(OrderId=order_id)["Order"]["Status"] for order_id in order_ids]
    emulator.admin.reset_calls()
    return found


def ops(events: list[auto.EngineEvent]) -> list[str]:
    """The engine's step operations on orders, in the order they started."""
    return [
        e.resource_pre_event.metadata.op.value
        for e in events
        if e.resource_pre_event and e.resource_pre_event.metadata.type.endswith("OutpostOrder")
    ]


def test_changing_a_quantity_cancels_the_old_order_then_places_one(
    stacks: Stacks, outposts_emulator: RunningEmulator
) -> None:
    stack = stacks(outposts_emulator)
    old = stack.up(orders(rack=rack(quantity=1))).outputs["rack"].value["order_id"]
    assert stack.calls() == {"ListOrders": 1, "CreateOrder": 1}

    assert stack.preview(orders(rack=rack(quantity=2))).change_summary == {"replace": 1, "same": 1}
    assert stack.calls() == {}

    events: list[auto.EngineEvent] = []
    up = stack.stack.up(program=orders(rack=rack(quantity=2)), on_event=events.append)
    assert stack.calls() == {"GetOrder": 1, "CancelOrder": 1, "ListOrders": 1, "CreateOrder": 1}
    assert ops(events) == ["delete-replaced", "replace", "create-replacement"]
    new = up.outputs["rack"].value
    assert new["order_id"] != old and new["line_items"][0]["quantity"] == 2
    assert [o["id"] for o in stack.orders()] == [new["order_id"]]
    assert statuses(outposts_emulator, old, new["order_id"]) == ["CANCELLED", "PREPARING"]


def test_replacing_an_order_in_flight_fails_until_it_is_history(
    stacks: Stacks, outposts_emulator: RunningEmulator
) -> None:
    stack = stacks(outposts_emulator)
    first = stack.up(orders(rack=rack(quantity=1))).outputs["rack"].value["order_id"]
    assert stack.calls() == {"ListOrders": 1, "CreateOrder": 1}

    # Not refreshed: the stack last saw PREPARING, so the update looks, and refuses before ordering.
    outposts_emulator.admin.advance_days(3)
    with pytest.raises(auto.CommandError) as failed:
        stack.up(orders(rack=rack(quantity=2)))
    assert stack.calls() == {"GetOrder": 1}  # looked, refused: no CancelOrder, no CreateOrder
    message = str(failed.value)
    assert f"order {first} is IN_PROGRESS and can no longer be cancelled" in message
    assert "pulumi state delete" in message and "`retain_on_delete=True`" not in message
    assert [o["id"] for o in stack.orders()] == [first]

    # Once a refresh has seen it in flight, the preview itself refuses, with no API call.
    for days, status in ((0, "IN_PROGRESS"), (11, "DELIVERED")):
        outposts_emulator.admin.advance_days(days)
        stack.refresh(orders(rack=rack(quantity=1)))
        assert stack.calls() == {"GetOrder": 1}
        for attempt in (stack.preview, stack.up):
            with pytest.raises(auto.CommandError) as refused:
                attempt(orders(rack=rack(quantity=2)))
            assert stack.calls() == {}
            assert f"would replace order {first} ({status} at the last refresh)" in str(refused.value)
            assert "declare a new OutpostOrder resource" in str(refused.value)
        assert [o["id"] for o in stack.orders()] == [first]

    # Once the order is history (COMPLETED, CANCELLED or ERROR), a change places a new order.
    current, quantity = first, 2
    for status in ("COMPLETED", "CANCELLED", "ERROR"):
        outposts_emulator.admin.force_order_status(current, status)
        stack.refresh(orders(rack=rack(quantity=quantity - 1)))
        assert stack.calls() == {"GetOrder": 1}
        program = orders(rack=rack(quantity=quantity))
        assert stack.preview(program).change_summary == {"replace": 1, "same": 1}
        assert stack.calls() == {}
        placed = stack.up(program).outputs["rack"].value
        assert stack.calls() == {"GetOrder": 1, "ListOrders": 1, "CreateOrder": 1}
        assert placed["order_id"] != current and placed["line_items"][0]["quantity"] == quantity
        assert [o["id"] for o in stack.orders()] == [placed["order_id"]]
        assert statuses(outposts_emulator, current) == [status]  # left as it was
        current, quantity = placed["order_id"], quantity + 1


def test_destroy_cancels_preparing_forgets_history_and_refuses_in_flight_unless_retained(
    stacks: Stacks, outposts_emulator: RunningEmulator
) -> None:
    stack = stacks(outposts_emulator)
    up = stack.up(orders(preparing=rack(), completed=rack(), in_flight=rack()))
    stack.placed(3)
    ids: dict[str, Any] = {name: up.outputs[name].value["order_id"] for name in ("preparing", "completed", "in_flight")}
    outposts_emulator.admin.force_order_status(ids["completed"], "COMPLETED")
    outposts_emulator.admin.force_order_status(ids["in_flight"], "IN_PROGRESS")

    with pytest.raises(auto.CommandError) as failed:
        stack.destroy()
    assert stack.calls() == {"GetOrder": 3, "CancelOrder": 1}
    assert f"order {ids['in_flight']} is IN_PROGRESS and can no longer be cancelled" in str(failed.value)
    assert [o["id"] for o in stack.orders()] == [ids["in_flight"]]  # never lost track of it
    assert statuses(outposts_emulator, *ids.values()) == ["CANCELLED", "COMPLETED", "IN_PROGRESS"]

    retained = orders(in_flight=rack(opts=ResourceOptions(retain_on_delete=True)))
    assert stack.up(retained).summary.resource_changes == {"same": 1, "update": 1}  # recorded in the state
    assert stack.calls() == {}
    destroy = stack.destroy()
    assert destroy.summary.resource_changes == {"delete": 2}
    assert stack.calls() == {}  # retained: the engine forgets it without asking the provider
    assert stack.orders() == []
    assert statuses(outposts_emulator, ids["in_flight"]) == ["IN_PROGRESS"]
