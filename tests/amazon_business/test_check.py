"""AmazonBusinessOrder's check and diff, called as the engine calls them (no API call is possible here)."""

from __future__ import annotations

from typing import Any

from pulumi.output import Unknown

from pulumi_outposts_orders.amazon_business.provider import AmazonBusinessOrderProvider

NEWS: dict[str, Any] = {
    "line_items": [{"asin": "B07QSFP28A", "buying_option_id": "bo-qsfp28-sr4", "quantity": 4}],
    "shipping_address": {"full_name": "Site Ops", "address_line1": "1 Main St", "city": "Seattle",
                         "postal_code": "98109", "country_code": "US"},
    "buyer_email": "buyer@example.com", "marketplace": "US", "order_key": "org/project/stack/optics",
}
PROVIDER = AmazonBusinessOrderProvider()


def placed(**changes: Any) -> dict[str, Any]:
    return {**PROVIDER.check({}, NEWS).inputs, **changes}


def test_a_generation_unknown_at_preview_passes_and_stays_unknown() -> None:
    unknown = Unknown()
    checked = PROVIDER.check(placed(), {**NEWS, "generation": unknown, "line_items": [
        {**NEWS["line_items"][0], "quantity": 6}]})
    assert checked.failures == [] and checked.inputs["order_generation"] is unknown


def test_a_change_without_a_raised_generation_is_refused_naming_it() -> None:
    result = PROVIDER.check(placed(), {**NEWS, "buyer_email": "other@example.com"})
    assert [f.property for f in result.failures] == ["buyer_email"]
    assert "set generation to 2" in result.failures[0].reason


def test_writing_out_the_default_generation_changes_nothing() -> None:
    checked = PROVIDER.check(placed(), {**NEWS, "generation": 1}).inputs
    diff = PROVIDER.diff("pulumi-x", placed(), checked)
    assert not diff.changes and not diff.replaces


def test_a_raised_generation_replaces_creating_first() -> None:
    checked = PROVIDER.check(placed(), {**NEWS, "generation": 2}).inputs
    diff = PROVIDER.diff("pulumi-x", placed(), checked)
    assert diff.replaces == ["generation"] and diff.delete_before_replace is False
    assert checked["order_generation"] == 2
