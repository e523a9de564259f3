"""Quote → order through the real engine and the emulator: the quote records the order it became."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pulumi
import pytest
from e2e_project import new_project, resources
from pulumi import automation as auto

from pulumi_outposts_orders import OutpostOrder, OutpostQuote, QuoteCapacityArgs
from pulumi_outposts_orders._tokens import QUOTE_TYPE
from pulumi_outposts_orders.emulator.outposts.seed import RACK_OUTPOST_ID
from pulumi_outposts_orders.emulator.testing import TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY, RunningEmulator
from pulumi_outposts_orders.outposts.quote_options import Option

pytestmark = pytest.mark.e2e


def one_rack(option: Option) -> bool:
    return len(option["specifications"]) == 1


def quote_program(description: str, order: bool) -> Any:
    def program() -> None:
        quote = OutpostQuote(
            "expansion",
            country_code="US",
            requested_capacities=[QuoteCapacityArgs(quote_capacity_type="EC2", unit="m5.24xlarge", quantity=4)],
            requested_payment_terms=["THREE_YEARS"],
            outpost_identifier=RACK_OUTPOST_ID,
            description=description,
        )
        pulumi.export("quote_id", quote.quote_id)
        pulumi.export("quote_status", quote.status)
        pulumi.export("submitted_order_id", quote.submitted_order_id)
        pulumi.export("failed_requirements", quote.failed_requirements)
        if order:
            placed = OutpostOrder(
                "rack",
                outpost_identifier=RACK_OUTPOST_ID,
                quote_identifier=quote.quote_id,
                quote_option_identifier=quote.option_id("ALL_UPFRONT", "THREE_YEARS", where=one_rack),
                payment_option="ALL_UPFRONT",
                payment_term="THREE_YEARS",
            )
            pulumi.export("order_id", placed.order_id)
            pulumi.export("order_quote_option", placed.quote_option_identifier)

    return program


def outputs(stack: auto.Stack) -> dict[str, Any]:
    return {name: value.value for name, value in stack.outputs().items()}


def test_quote_is_created_ordered_through_its_option_and_becomes_order_submitted(
    tmp_path: Path, emulator: RunningEmulator
) -> None:
    project = new_project(tmp_path, emulator)
    stack = project.stack(quote_program("Seattle lab expansion", order=False))

    emulator.admin.reset_calls()
    stack.preview()
    assert sum(emulator.admin.calls().values()) == 0, "preview validates locally"

    stack.up()
    created = outputs(stack)
    assert created["quote_id"].startswith("oq-")
    assert created["quote_status"] == "CREATED"
    assert created["failed_requirements"] == []
    assert emulator.admin.calls().get("CreateQuote") == 1

    # A change before ordering updates the quote in place (AWS re-prices it).
    emulator.admin.reset_calls()
    stack.workspace.program = quote_program("Seattle lab expansion, phase 1", order=False)
    changed = stack.up()
    assert changed.summary.resource_changes == {"update": 1, "same": 1}
    assert outputs(stack)["quote_id"] == created["quote_id"]
    assert emulator.admin.calls().get("UpdateQuote") == 1

    stack.workspace.program = quote_program("Seattle lab expansion, phase 1", order=True)
    stack.up()
    ordered = outputs(stack)
    assert ordered["order_id"].startswith("oo-")
    stack.refresh()  # refresh updates the resources' state (stack outputs change at the next `up`)
    [quote] = resources(stack, QUOTE_TYPE)
    assert quote["outputs"]["status"] == "ORDER_SUBMITTED"
    assert quote["outputs"]["submitted_order_id"] == ordered["order_id"]
    [one_rack_option] = [o for o in quote["outputs"]["quote_options"] if one_rack(o)]
    assert ordered["order_quote_option"] == one_rack_option["quote_option_identifier"]

    # The provider is pickled by reference (a few bytes, no secret) and no credential is in the state.
    pickled = base64.b64decode(quote["inputs"]["__provider"])
    assert len(pickled) < 200 and b"pulumi_outposts_orders.outposts.quote_provider" in pickled
    state = json.dumps(stack.export_stack().deployment)
    assert TEST_ACCESS_KEY_ID not in state and TEST_SECRET_ACCESS_KEY not in state

    # An ordered quote is the record of its order: it can no longer change...
    stack.workspace.program = quote_program("something else", order=True)
    with pytest.raises(auto.CommandError) as refused:
        stack.up()
    assert f"quote {created['quote_id']} is ORDER_SUBMITTED (order {ordered['order_id']})" in str(refused.value)
    assert "can no longer change" in str(refused.value)

    # ...and destroy cancels the order and forgets the quote (AWS keeps it).
    emulator.admin.reset_calls()
    stack.destroy()
    calls = emulator.admin.calls()
    assert calls.get("CancelOrder") == 1
    assert not calls.get("DeleteQuote")
