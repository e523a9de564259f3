"""Review rows for step shapes the end-to-end test does not produce (same JSON form as the engine's)."""

from __future__ import annotations

from typing import Any

from pulumi.runtime.rpc import UNKNOWN

from pulumi_outposts_orders._aws import StackAwsConfig
from pulumi_outposts_orders._tokens import ORDER_TYPE
from pulumi_outposts_orders.review import Quotes, render, rows

URN = f"urn:pulumi:dev::infra::{ORDER_TYPE}::"
ITEMS = [{"catalog_item_id": "OR-A1B2C3D", "quantity": 1}]


def state(name: str, inputs: dict[str, Any], order_id: str | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"urn": URN + name, "type": ORDER_TYPE, "inputs": {"__provider": "gASVpickle", **inputs}}
    if order_id:
        found.update(id=order_id, outputs={**found["inputs"], "order_id": order_id, "status": "PREPARING"})
    return found


def test_an_order_whose_quote_is_created_in_the_same_change_is_not_priced_yet() -> None:
    inputs = {"outpost_identifier": "op-0123456789abcdef0", "quote_identifier": UNKNOWN,
              "quote_option_identifier": UNKNOWN, "payment_option": "ALL_UPFRONT", "payment_term": "THREE_YEARS"}
    document = {"steps": [{"op": "create", "urn": URN + "rack", "newState": state("rack", inputs)}]}
    [row] = rows(document, Quotes(StackAwsConfig()))
    assert row.cells() == ["create", "order `rack`", "op-0123456789abcdef0",
                           "quote (known after `pulumi up`), option (known after `pulumi up`)",
                           "ALL_UPFRONT / THREE_YEARS", "not priced yet", "not priced yet"]
    assert row.warnings[0].startswith("⚠️ **price unknown for `rack`**")


def test_create_replacement_and_delete_replaced_steps_make_one_replace_row() -> None:
    old = state("rack", {"outpost_identifier": "op-0123456789abcdef0", "line_items": ITEMS,
                         "payment_option": "NO_UPFRONT"}, order_id="oo-0123456789abcdef0")
    new = state("rack", {"outpost_identifier": "op-0123456789abcdef0", "line_items": ITEMS,
                         "payment_option": "ALL_UPFRONT"})
    document = {"steps": [
        {"op": "delete-replaced", "urn": URN + "rack", "oldState": old},
        {"op": "create-replacement", "urn": URN + "rack", "oldState": old, "newState": new,
         "replaceReasons": ["payment_option"]},
    ]}
    found = rows(document, Quotes(StackAwsConfig()))
    assert [r.action for r in found] == ["replace"]
    assert found[0].payment == "ALL_UPFRONT / term set by AWS (was NO_UPFRONT / term set by AWS)"
    comment = render(found)
    assert "order oo-0123456789abcdef0 (PREPARING)" in comment
    assert "(changed: payment_option)" in comment
    assert "gASV" not in comment and "__provider" not in comment
