"""Inputs through the real engine: bad ones stop at preview, adoption, and quote-based orders.

Invalid inputs fail at preview with no API call; unknown values are checked before create; an
existing order is adopted (or refused when it does not match) without placing one; a quote-based
order round-trips its quote fields. Every step asserts the stack (outputs, state) and the
emulator's per-operation call counts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pulumi import ResourceOptions
from pulumi import automation as auto

from pulumi_outposts_orders import OutpostOrder
from pulumi_outposts_orders.emulator.outposts.seed import (
    QUOTE_ID,
    QUOTE_OPTION_IDS,
    RACK_CATALOG_ITEM_ID,
    RACK_OUTPOST_ID,
    SECOND_RACK_CATALOG_ITEM_ID,
)
from pulumi_outposts_orders.emulator.testing import RunningEmulator

from .conftest import StackHarness
from .programs import aws_client, orders, rack

pytestmark = pytest.mark.e2e
Stacks = Callable[..., StackHarness]

ITEM = {"catalog_item_id": RACK_CATALOG_ITEM_ID, "quantity": 1}

# (property named in the failure, words of the rule, inputs): ten distinct rules and more.
INVALID: list[tuple[str, str, dict[str, Any]]] = [
    ("outpost_identifier", "is required", rack(outpost_identifier=None)),
    ("outpost_identifier", "must be an Outpost ID such as op-0123456789abcdef0", rack(outpost_identifier="op-12345")),
    ("payment_option", "must be one of", rack(payment_option="ALL_UPFRONT_")),
    ("payment_term", "must be one of", rack(payment_term="3_YEARS")),
    ("line_items", "must have at least 1 items", rack(line_items=[])),
    ("line_items", "must have at most 20 items", rack(line_items=[ITEM] * 21)),
    ("line_items[0].quantity", "must be >= 1", rack(quantity=0)),
    # Not an int on purpose (what a program without type checking may send): the provider must refuse it.
    ("line_items[0].quantity", "must be an integer", rack(quantity=1.5)),  # type: ignore[arg-type]
    ("line_items[0].catalog_item_id", "ID such as OR-A1B2C3D", rack(line_items=[{**ITEM, "catalog_item_id": "OR-1"}])),
    ("line_items[0].qty", "unknown key 'qty'", rack(line_items=[{**ITEM, "qty": 2}])),
    ("quote_option_identifier", "needs quote_identifier", rack(quote_option_identifier=QUOTE_OPTION_IDS[0])),
    ("line_items", "needs line_items, or quote_identifier", rack(line_items=None)),
    ("region", "must be an AWS region name", rack(region="us-east")),
    ("adopt_order_id", "must be an order ID such as oo-0123456789abcdef0", rack(adopt_order_id="oo-1")),
]


def test_invalid_inputs_fail_at_preview_naming_the_property_with_no_api_call(
    stacks: Stacks, outposts_emulator: RunningEmulator
) -> None:
    stack = stacks(outposts_emulator)
    for prop, rule, inputs in INVALID:
        with pytest.raises(auto.CommandError) as failed:
            stack.preview(orders(bad=inputs))
        assert f"{prop}: " in str(failed.value) or f"{prop} " in str(failed.value), str(failed.value)
        assert rule in str(failed.value), str(failed.value)
        assert "<nil>" not in str(failed.value), str(failed.value)  # the engine shows the input's value
    assert stack.calls() == {}
    assert stack.orders() == []


def test_unknown_outputs_pass_at_preview_and_are_checked_before_create(
    stacks: Stacks, outposts_emulator: RunningEmulator
) -> None:
    def program(with_typo: bool) -> Callable[[], None]:
        def declare() -> None:
            first = OutpostOrder("first", **rack())
            OutpostOrder("follows", **rack(outpost_identifier=first.outpost_id))
            if with_typo:
                second = OutpostOrder("second", **rack(quantity=2))
                OutpostOrder("typo", **rack(outpost_identifier=second.order_id))  # an order ID, not an Outpost

        return declare

    stack = stacks(outposts_emulator)
    assert stack.preview(program(with_typo=False)).change_summary == {"create": 3}
    assert stack.calls() == {}
    stack.up(program(with_typo=False))
    stack.placed(2)

    assert stack.preview(program(with_typo=True)).change_summary == {"create": 2, "same": 3}
    assert stack.calls() == {}
    with pytest.raises(auto.CommandError) as failed:
        stack.up(program(with_typo=True))
    assert "outpost_identifier must be an Outpost ID such as op-0123456789abcdef0" in str(failed.value)
    assert stack.calls() == {"ListOrders": 1, "CreateOrder": 1}  # "second"; the typo placed nothing
    assert sorted(o["urn"].rsplit("::", 1)[-1] for o in stack.orders()) == ["first", "follows", "second"]


def test_an_existing_order_is_adopted_without_placing_one(stacks: Stacks, outposts_emulator: RunningEmulator) -> None:
    existing = aws_client(outposts_emulator).create_order(
        OutpostIdentifier=RACK_OUTPOST_ID,
        LineItems=[{"CatalogItemId": RACK_CATALOG_ITEM_ID, "Quantity": 1}],
        PaymentOption="ALL_UPFRONT",
        PaymentTerm="THREE_YEARS",
    )["Order"]["OrderId"]
    outposts_emulator.admin.reset_calls()
    stack = stacks(outposts_emulator)

    # Pulumi's own import is the engine's known gap for dynamic providers (pulumi/pulumi#16175):
    # its Read request lacks the serialized provider. It fails, and nothing is placed.
    with pytest.raises(auto.CommandError) as gap:
        stack.up(orders(rack=rack(opts=ResourceOptions(import_=existing))))
    assert "'__provider'" in str(gap.value)
    assert stack.calls() == {}

    program = orders(rack=rack(adopt_order_id=existing))
    assert stack.preview(program).change_summary == {"create": 1, "same": 1}
    assert stack.calls() == {}
    adopted = stack.up(program).outputs["rack"].value
    assert stack.calls() == {"GetOrder": 1}
    assert adopted["order_id"] == existing and adopted["status"] == "PREPARING"
    assert adopted["line_items"][0]["catalog_item_id"] == RACK_CATALOG_ITEM_ID

    assert stack.up(program).summary.resource_changes == {"same": 2}
    assert stack.calls() == {}


def test_adopting_an_order_that_does_not_match_fails_and_places_nothing(
    stacks: Stacks, outposts_emulator: RunningEmulator
) -> None:
    existing = aws_client(outposts_emulator).create_order(
        OutpostIdentifier=RACK_OUTPOST_ID,
        LineItems=[{"CatalogItemId": SECOND_RACK_CATALOG_ITEM_ID, "Quantity": 2}],
        PaymentOption="NO_UPFRONT",
    )["Order"]["OrderId"]
    outposts_emulator.admin.reset_calls()
    stack = stacks(outposts_emulator)

    with pytest.raises(auto.CommandError) as failed:
        stack.up(orders(rack=rack(quantity=1, adopt_order_id=existing)))
    assert stack.calls() == {"GetOrder": 1}
    message = str(failed.value)
    assert f"cannot adopt order {existing}: it does not match the declared inputs; nothing ordered" in message
    assert f"line_items: declared {RACK_CATALOG_ITEM_ID} x1, order has {SECOND_RACK_CATALOG_ITEM_ID} x2" in message
    assert "payment_option: declared 'ALL_UPFRONT', order has 'NO_UPFRONT'" in message
    assert "payment_term: declared 'THREE_YEARS', order has (not set)" in message
    assert stack.orders() == []


def test_a_quote_based_order_round_trips_its_quote_fields(stacks: Stacks, emulator: RunningEmulator) -> None:
    stack = stacks(emulator)  # its own emulator: the seeded quote can be ordered once
    program = orders(
        rack=rack(line_items=None, quote_identifier=QUOTE_ID, quote_option_identifier=QUOTE_OPTION_IDS[1])
    )
    placed = stack.up(program).outputs["rack"].value
    assert stack.calls() == {"GetQuote": 1, "CreateOrder": 1}  # the quote says whether it was ordered
    assert (placed["quote_identifier"], placed["quote_option_identifier"]) == (QUOTE_ID, QUOTE_OPTION_IDS[1])
    assert (placed["payment_option"], placed["payment_term"]) == ("ALL_UPFRONT", "THREE_YEARS")
    assert [line["quantity"] for line in placed["line_items"]] == [1, 1]  # the option: two racks

    emulator.admin.advance_days(3)
    stack.refresh(program)
    assert stack.calls() == {"GetOrder": 1}
    refreshed = stack.outputs()["rack"]
    assert refreshed["status"] == "IN_PROGRESS"
    assert {k: refreshed[k] for k in ("order_id", "quote_identifier", "quote_option_identifier")} == {
        k: placed[k] for k in ("order_id", "quote_identifier", "quote_option_identifier")
    }
    assert stack.up(program).summary.resource_changes == {"same": 2}
    assert stack.calls() == {}
