"""check: every known input validated locally, failures named as the user wrote them."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.output import Unknown
from pulumi.runtime.rpc import UNKNOWN

from pulumi_outposts_orders.outposts.order_provider import OutpostOrderProvider

OUTPOST = "op-0123456789abcdef0"
OUTPOST_ARN = f"arn:aws:outposts:us-west-2:123456789012:outpost/{OUTPOST}"
QUOTE = "oq-0123456789abcdef0"
OPTION = "oqo-0123456789abcdef0"


pytestmark = pytest.mark.usefixtures("only_aws_region")


def valid(**changes: Any) -> dict[str, Any]:
    props: dict[str, Any] = {
        "outpost_identifier": OUTPOST,
        "line_items": [{"catalog_item_id": "OR-ABCDEFG", "quantity": 1.0}],
        "payment_option": "ALL_UPFRONT",
        "payment_term": "THREE_YEARS",
        "__provider": "serialized",
    }
    props.update(changes)
    return {k: v for k, v in props.items() if v is not None}


def failures(props: dict[str, Any]) -> dict[str, str]:
    """Full property path (as each reason starts) → reason; the engine is given the top-level input."""
    result = OutpostOrderProvider().check({}, props)
    found = {}
    for failure in result.failures:
        path = failure.reason.split(" ", 1)[0].rstrip(":")
        assert failure.property in ("", path.split("[", 1)[0].split(".", 1)[0]), failure
        found[path] = failure.reason
    return found


def test_valid_line_item_order_passes_and_inputs_are_kept() -> None:
    props = valid()
    result = OutpostOrderProvider().check({}, props)
    assert result.failures == []
    assert result.inputs == props


def test_valid_quote_order_and_arn_pass() -> None:
    props = valid(
        line_items=None,
        outpost_identifier=OUTPOST_ARN,
        quote_identifier=QUOTE,
        quote_option_identifier=OPTION,
        payment_term="FIVE_YEARS",
        region="us-gov-west-1",
    )
    assert failures(props) == {}


@pytest.mark.parametrize(
    ("changes", "prop", "words"),
    [
        ({"outpost_identifier": None}, "outpost_identifier", "required"),
        ({"outpost_identifier": "op-0123"}, "outpost_identifier", "an Outpost ID such as op-0123456789abcdef0"),
        ({"payment_option": "ALL_UPFRONT "}, "payment_option", "must be one of"),
        ({"payment_term": "TWO_YEARS"}, "payment_term", "must be one of"),
        ({"line_items": []}, "line_items", "at least 1"),
        ({"line_items": [{"catalog_item_id": "OR-ABCDEFG", "quantity": 1}] * 21}, "line_items", "at most 20"),
        (
            {"line_items": [{"catalog_item_id": "OR-ABCDEFG", "quantity": 0}]},
            "line_items[0].quantity",
            ">= 1",
        ),
        (
            {"line_items": [{"catalog_item_id": "OR-ABCDEFG", "quantity": 2147483648.0}]},
            "line_items[0].quantity",
            "<= 2147483647: it travels as a 32-bit integer (got 2147483648)",
        ),
        (
            {"line_items": [{"catalog_item_id": "OR-ABCDEFG", "quantity": 1.5}]},
            "line_items[0].quantity",
            "integer",
        ),
        (
            {"line_items": [{"catalog_item_id": "OR-ABCDEFG", "quantity": "2"}]},
            "line_items[0].quantity",
            "integer",
        ),
        (
            {"line_items": [{"catalog_item_id": "or-abcdefg", "quantity": 1}]},
            "line_items[0].catalog_item_id",
            "a catalog item ID such as OR-A1B2C3D",
        ),
        ({"line_items": [{"catalog_item_id": "OR-ABCDEFG"}]}, "line_items[0].quantity", "required"),
        (
            {"line_items": [{"catalog_item_id": "OR-ABCDEFG", "quantity": 1, "quantiy": 2}]},
            "line_items[0].quantiy",
            "unknown key",
        ),
        ({"line_items": None}, "line_items", "needs line_items"),
        (
            {"quote_option_identifier": OPTION, "line_items": None},
            "quote_option_identifier",
            "needs quote_identifier",
        ),
        ({"quote_identifier": QUOTE, "quote_option_identifier": OPTION}, "line_items", "mutually exclusive"),
        (
            {"quote_identifier": "oq-nothex", "quote_option_identifier": OPTION, "line_items": None},
            "quote_identifier",
            "a quote ID such as oq-0123456789abcdef0",
        ),
        ({"region": "us-west"}, "region", "region name"),
        ({"profile": " "}, "profile", "profile name"),
        ({"adopt_order_id": "oo-123"}, "adopt_order_id", "an order ID such as oo-0123456789abcdef0"),
    ],
)
def test_each_rule_names_the_property(changes: dict[str, Any], prop: str, words: str) -> None:
    found = failures(valid(**changes))
    assert prop in found, found
    assert words in found[prop]
    assert prop in found[prop] or "unknown key" in found[prop]


def test_all_failures_are_reported_at_once() -> None:
    found = failures(valid(payment_option="CASH", line_items=[{"catalog_item_id": "X", "quantity": -1}]))
    assert set(found) == {"payment_option", "line_items[0].catalog_item_id", "line_items[0].quantity"}


def test_camel_case_keys_in_line_item_dicts_are_not_silently_renamed() -> None:
    found = failures(valid(line_items=[{"catalogItemId": "OR-ABCDEFG", "quantity": 1}]))
    assert "line_items[0].catalogItemId" in found
    assert "line_items[0].catalog_item_id" in found  # and the real one is missing


# The dynamic provider host hands check ``pulumi.output.Unknown`` objects; the wire form is a string.
UNKNOWNS = pytest.mark.parametrize("unknown", [Unknown(), UNKNOWN], ids=["Unknown", "wire-string"])


@UNKNOWNS
def test_unknown_values_pass_at_preview(unknown: Any) -> None:
    props = valid(
        outpost_identifier=unknown, line_items=[{"catalog_item_id": unknown, "quantity": 2.0}], region=unknown
    )
    assert failures(props) == {}
    assert failures(valid(line_items=unknown)) == {}
    assert failures(valid(line_items=[unknown])) == {}
    assert failures(valid(line_items=None, quote_identifier=unknown, quote_option_identifier=unknown)) == {}


@UNKNOWNS
def test_known_values_next_to_unknown_ones_are_still_checked(unknown: Any) -> None:
    props = valid(outpost_identifier=unknown, line_items=[{"catalog_item_id": unknown, "quantity": 0}])
    assert set(failures(props)) == {"line_items[0].quantity"}


QUOTED = {"line_items": None, "quote_identifier": QUOTE, "quote_option_identifier": OPTION}


def test_an_expected_price_on_a_quote_order_passes() -> None:
    price = {"currency": "USD", "upfront_price": 165870.0, "monthly_recurring_price": 4607.5}
    assert failures(valid(**QUOTED, expected_price=price)) == {}
    assert failures(valid(**QUOTED, expected_price={"currency": "USD", "monthly_recurring_price": Unknown()})) == {}


@pytest.mark.parametrize(
    ("changes", "prop", "words"),
    [
        ({"expected_price": {"currency": "USD", "upfront_price": 1.0}}, "expected_price", "quote-based orders"),
        ({**QUOTED, "expected_price": {"upfront_price": 1.0}}, "expected_price.currency", "required"),
        ({**QUOTED, "expected_price": {"currency": "EUR", "upfront_price": 1.0}}, "expected_price.currency", "USD"),
        ({**QUOTED, "expected_price": {"currency": "USD"}}, "expected_price", "upfront_price and/or"),
        ({**QUOTED, "expected_price": {"currency": "USD", "upfront_price": -5}}, "expected_price.upfront_price",
         ">= 0"),
        ({**QUOTED, "expected_price": {"currency": "USD", "upfront_price": "1000"}}, "expected_price.upfront_price",
         "number"),
        ({**QUOTED, "expected_price": {"currency": "USD", "upfrnt_price": 1.0}}, "expected_price.upfrnt_price",
         "unknown key"),
        ({**QUOTED, "expected_price": "165870 USD"}, "expected_price", "must be an object"),
    ],
)
def test_a_bad_expected_price_names_the_property_and_rule(changes: dict[str, Any], prop: str, words: str) -> None:
    found = failures(valid(**changes))
    assert prop in found, found
    assert words in found[prop]


def test_a_new_order_without_any_region_fails_naming_region_and_an_existing_one_does_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("AWS_REGION")
    assert list(failures(valid())) == ["region"]
    assert "no AWS region for `region`" in failures(valid())["region"]
    assert failures(valid(region="eu-west-1")) == {}
    assert OutpostOrderProvider().check(valid(), valid()).failures == []  # in the stack: its region is recorded
