"""Review rows for step shapes the end-to-end test does not produce (same JSON form as the engine's)."""

from __future__ import annotations

import json
from typing import Any

from pulumi.runtime.rpc import UNKNOWN

from pulumi_outposts_orders._tokens import ORDER_TYPE
from pulumi_outposts_orders.aws.settings import StackAwsConfig
from pulumi_outposts_orders.outposts.lookups import Lookups
from pulumi_outposts_orders.review import Review, context, load, render, review, rows

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
    [row] = rows(document, Lookups(StackAwsConfig()))
    assert row.cells() == ["create", "order `rack`", "op-0123456789abcdef0",
                           "quote (known after `pulumi up`), option (known after `pulumi up`)",
                           "ALL_UPFRONT / THREE_YEARS", "not set", "not priced yet", "not priced yet",
                           "not priced yet"]
    assert row.price_missing
    assert row.warnings[0][1].startswith("**price unknown for `rack`**")


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
    found = rows(document, Lookups(StackAwsConfig()))
    assert [r.action for r in found] == ["replace"]
    assert found[0].payment == "ALL_UPFRONT / term set by AWS (was NO_UPFRONT / term set by AWS)"
    comment = render(found)
    assert "order oo-0123456789abcdef0 (PREPARING at the last refresh)" in comment
    assert "(changed: payment_option)" in comment
    assert "gASV" not in comment and "__provider" not in comment


def test_a_preview_with_an_error_diagnostic_is_a_failed_review_not_no_change() -> None:
    document = load(json.dumps({
        "steps": [],
        "diagnostics": [
            {"urn": URN + "rack", "severity": "error",
             "message": "\x1b[31mthis change would replace order oo-1\x1b[0m"},
            {"severity": "warning", "message": "a warning"},
        ],
    }))
    found = review(document, Lookups(StackAwsConfig()))
    assert found.rows == [] and [f.resource for f in found.failures] == ["rack"]
    comment = render(found)
    assert "No Outposts orders" not in comment
    assert "🛑 **The preview failed: this change cannot be approved.**" in comment
    assert "```text\nthis change would replace order oo-1\n```" in comment and "a warning" not in comment


def test_the_header_names_stack_project_and_the_previews_aws_region() -> None:
    document = {"config": {"aws:region": "eu-west-1", "infra:x": "1"},
                "steps": [{"op": "same", "urn": "urn:pulumi:prod::infra::pulumi:pulumi:Stack::infra-prod"}]}
    ctx = context(document)
    assert (ctx.stack, ctx.project, ctx.config.region) == ("prod", "infra", "eu-west-1")
    flagged = context(document, region="us-east-2")  # --region wins
    assert "region us-east-2 (--region)" in render(Review(flagged, []))
    assert "Stack `prod` of project `infra` · region eu-west-1 (aws:region)" in render(Review(ctx, []))


def test_a_replacement_of_a_retained_order_will_be_refused() -> None:
    old = state("rack", {"outpost_identifier": "op-0123456789abcdef0", "line_items": ITEMS,
                         "payment_option": "NO_UPFRONT", "retain_on_delete": True}, order_id="oo-0123456789abcdef0")
    new = state("rack", {"outpost_identifier": "op-0123456789abcdef0", "line_items": ITEMS,
                         "payment_option": "ALL_UPFRONT", "retain_on_delete": True})
    document = {"steps": [{"op": "replace", "urn": URN + "rack", "oldState": old, "newState": new}]}
    [row] = rows(document, Lookups(StackAwsConfig()))
    assert row.cells()[0] == "**REPLACE: will be refused**"
    assert "retain_on_delete" in row.warnings[0][1]


def test_a_replacement_retained_by_a_transformation_will_be_refused() -> None:
    """A transformation sets the engine's option, not the input: review reads the option from the preview."""
    old = state("rack", {"outpost_identifier": "op-0123456789abcdef0", "line_items": ITEMS,
                         "payment_option": "NO_UPFRONT"}, order_id="oo-0123456789abcdef0")
    new = state("rack", {"outpost_identifier": "op-0123456789abcdef0", "line_items": ITEMS,
                         "payment_option": "ALL_UPFRONT"})
    old["retainOnDelete"] = new["retainOnDelete"] = True
    document = {"steps": [{"op": "replace", "urn": URN + "rack", "oldState": old, "newState": new}]}
    [row] = rows(document, Lookups(StackAwsConfig()))
    assert row.cells()[0] == "**REPLACE: will be refused**"
    assert "is cancelled first" not in render([row])


def test_a_status_nobody_knows_yet_is_treated_as_in_flight_by_review() -> None:
    old = state("rack", {"outpost_identifier": "op-0123456789abcdef0", "line_items": ITEMS,
                         "payment_option": "NO_UPFRONT"}, order_id="oo-0123456789abcdef0")
    old["outputs"]["status"] = "AWAITING_SITE_SURVEY"  # a status added to the API after this release
    new = state("rack", {"outpost_identifier": "op-0123456789abcdef0", "line_items": ITEMS,
                         "payment_option": "ALL_UPFRONT"})
    document = {"steps": [{"op": "replace", "urn": URN + "rack", "oldState": old, "newState": new}]}
    [row] = rows(document, Lookups(StackAwsConfig()))
    assert row.cells()[0] == "**REPLACE: will be refused**"
