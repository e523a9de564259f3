"""OutpostOrder through the real engine: place once, no-op updates, refresh to delivery, regions.

Preview calls nothing and up places exactly one order; an unchanged up makes no call; refresh
tracks orders to delivery; an Outpost ID and its ARN are the same; the region comes from the input
or the stack config; an order that cannot be found stays in the stack and fails refresh and destroy.
Every step asserts the stack's outputs and the emulator's per-operation call counts.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable

import pytest
from pulumi import automation as auto

from pulumi_outposts_orders.emulator.outposts.seed import RACK_CATALOG_ITEM_ID, RACK_OUTPOST_ID
from pulumi_outposts_orders.emulator.testing import (
    TEST_ACCESS_KEY_ID,
    TEST_SECRET_ACCESS_KEY,
    RunningEmulator,
    boto3_env,
)

from .conftest import StackHarness
from .programs import OUTPOST_ARN, aws_client, orders, rack

pytestmark = pytest.mark.e2e
Stacks = Callable[..., StackHarness]


def test_preview_calls_nothing_and_up_places_exactly_one_order_with_all_outputs(
    stacks: Stacks, outposts_emulator: RunningEmulator
) -> None:
    stack = stacks(outposts_emulator)
    program = orders(rack=rack(quantity=2))

    preview = stack.preview(program)
    assert preview.change_summary == {"create": 2}
    assert stack.calls() == {}

    up = stack.up(program)
    assert up.summary.resource_changes == {"create": 2}
    assert stack.calls() == {"ListOrders": 1, "CreateOrder": 1}
    order = stack.outputs()["rack"]
    assert order["id"] == order["order_id"] and order["order_id"].startswith("oo-")
    assert order["status"] == "PREPARING"
    assert order["order_type"] == "OUTPOST"
    assert order["outpost_id"] == order["outpost_identifier"] == RACK_OUTPOST_ID
    assert (order["payment_option"], order["payment_term"]) == ("ALL_UPFRONT", "THREE_YEARS")
    assert order["region"] == "us-east-1"  # from the environment: no input, no stack config
    assert order["order_submission_date"].endswith("Z")
    assert order["order_fulfilled_date"] is None
    [line] = order["line_items"]
    assert (line["catalog_item_id"], line["quantity"], line["status"]) == (RACK_CATALOG_ITEM_ID, 2, "PREPARING")
    assert line["line_item_id"].startswith("ooi-")
    [state] = stack.orders()
    assert state["id"] == order["order_id"]
    # The provider in state is a reference to the installed class: small, and no credentials.
    provider = base64.b64decode(state["inputs"]["__provider"])
    assert len(provider) < 200 and b"OutpostOrderProvider" in provider
    assert TEST_ACCESS_KEY_ID not in json.dumps(state) and TEST_SECRET_ACCESS_KEY not in json.dumps(state)


def test_second_up_without_change_makes_no_api_call(stacks: Stacks, outposts_emulator: RunningEmulator) -> None:
    stack = stacks(outposts_emulator)
    program = orders(rack=rack())
    first = stack.up(program).outputs["rack"].value
    assert stack.calls() == {"ListOrders": 1, "CreateOrder": 1}

    again = stack.up(program)
    assert again.summary.resource_changes == {"same": 2}
    assert stack.calls() == {}
    assert again.outputs["rack"].value == first


def test_refresh_tracks_orders_to_delivery_with_one_get_order_each(
    stacks: Stacks, outposts_emulator: RunningEmulator
) -> None:
    stack = stacks(outposts_emulator)
    program = orders(first=rack(), second=rack(quantity=3))
    stack.up(program)
    stack.placed(2)

    seen: list[tuple[str, str]] = []
    for days in (3, 11, 7):  # day 3: building; day 14: delivered; day 21: completed
        outposts_emulator.admin.advance_days(days)
        stack.refresh(program)
        assert stack.calls() == {"GetOrder": 2}
        outputs = stack.outputs()
        assert outputs["first"]["status"] == outputs["second"]["status"]
        seen.append((outputs["first"]["status"], outputs["first"]["line_items"][0]["status"]))

    assert seen == [("IN_PROGRESS", "BUILDING"), ("DELIVERED", "DELIVERED"), ("COMPLETED", "INSTALLED")]
    order = stack.outputs()["second"]
    assert order["order_fulfilled_date"].endswith("Z")
    [line] = order["line_items"]
    assert line["quantity"] == 3
    shipment = line["shipment_information"]
    assert shipment["shipment_tracking_number"] and shipment["shipment_carrier"]
    assets = line["asset_information_list"]
    assert assets and all(asset["asset_id"] and asset["mac_address_list"] for asset in assets)

    assert stack.up(program).summary.resource_changes == {"same": 3}
    assert stack.calls() == {}


def test_switching_the_outpost_between_id_and_arn_is_no_change(
    stacks: Stacks, outposts_emulator: RunningEmulator
) -> None:
    stack = stacks(outposts_emulator)
    order_id = stack.up(orders(rack=rack())).outputs["rack"].value["order_id"]
    assert stack.calls() == {"ListOrders": 1, "CreateOrder": 1}

    by_arn = orders(rack=rack(outpost_identifier=OUTPOST_ARN))
    assert stack.preview(by_arn).change_summary == {"same": 2}
    up = stack.up(by_arn)
    assert up.summary.resource_changes == {"same": 2}
    assert stack.calls() == {}
    assert up.outputs["rack"].value["order_id"] == order_id

    assert stack.up(orders(rack=rack())).summary.resource_changes == {"same": 2}
    assert stack.calls() == {}


def test_region_comes_from_the_input_else_the_stack_config(
    stacks: Stacks, outposts_emulator: RunningEmulator
) -> None:
    # The emulator resolves an ARN only in the caller's region: placing these orders proves where
    # the provider sent CreateOrder (the environment says us-east-1).
    west_arn = OUTPOST_ARN.replace("us-east-1", "us-west-2")
    stack = stacks(outposts_emulator, config={"aws:region": "us-west-2"})
    program = orders(
        from_config=rack(outpost_identifier=west_arn),
        from_input=rack(outpost_identifier=OUTPOST_ARN, region="us-east-1"),
    )
    up = stack.up(program)
    stack.placed(2)
    assert up.outputs["from_config"].value["region"] == "us-west-2"
    assert up.outputs["from_input"].value["region"] == "us-east-1"

    # The region is where the order lives: a later config change moves nothing and orders nothing.
    stack.stack.set_config("aws:region", auto.ConfigValue("eu-west-1"))
    assert stack.up(program).summary.resource_changes == {"same": 3}
    assert stack.calls() == {}


def test_an_order_that_cannot_be_found_stays_in_the_stack_and_fails_refresh_and_destroy(
    stacks: Stacks, outposts_emulator: RunningEmulator
) -> None:
    stack = stacks(outposts_emulator)
    order_id = stack.up(orders(rack=rack())).outputs["rack"].value["order_id"]
    assert stack.calls() == {"ListOrders": 1, "CreateOrder": 1}

    with RunningEmulator() as elsewhere:  # an endpoint (an account) where the order does not exist
        stack.project.env.update(boto3_env(elsewhere.endpoint, base=stack.project.env))
        wrong = stack.project.stack(orders(rack=rack()))
        with pytest.raises(auto.CommandError) as refresh:
            wrong.refresh()
        with pytest.raises(auto.CommandError) as destroy:
            wrong.destroy()
        # One GetOrder each, and the account for the message (one GetCallerIdentity per process).
        assert {op: n for op, n in elsewhere.admin.calls().items() if n} == {"GetOrder": 2, "GetCallerIdentity": 2}
    for failed in (refresh, destroy):
        message = str(failed.value)
        assert f"order {order_id}: AWS says it does not exist (region us-east-1, account 123456789012" in message
        assert f"endpoint {elsewhere.endpoint}" in message and "pulumi state delete" in message
    assert [o["id"] for o in stack.orders()] == [order_id]  # still tracked
    assert statuses_of(outposts_emulator, order_id) == ["PREPARING"]  # still live, never re-ordered
    stack.calls()  # the test's own look is not the stack's

    stack.project.env.update(boto3_env(outposts_emulator.endpoint, base=stack.project.env))
    assert stack.project.stack(orders(rack=rack())).refresh().summary.resource_changes == {"same": 2}
    assert stack.project.stack(orders(rack=rack())).up().summary.resource_changes == {"same": 2}
    assert stack.calls() == {"GetOrder": 1}


def statuses_of(emulator: RunningEmulator, *order_ids: str) -> list[str]:
    client = aws_client(emulator)
    return [client.get_order(OrderId=order_id)["Order"]["Status"] for order_id in order_ids]
