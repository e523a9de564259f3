"""Choosing a quote option by payment option and term, and reading its price."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_outposts_orders.outposts.quote_options import OptionChoiceError, pick_option, price_of


def option(option_id: str, racks: int, *priced: tuple[str, str, float, float]) -> dict[str, Any]:
    return {
        "quote_option_identifier": option_id,
        "capacities": [{"quote_capacity_type": "EC2", "unit": "m5.24xlarge", "quantity": 4.0 * racks}],
        "specifications": [{"quote_specification_type": "NEW_RACK"}] * racks,
        "pricing_options": [
            {
                "pricing_type": "SUBSCRIPTION",
                "subscription_pricing_details": {
                    "payment_option": po,
                    "payment_term": pt,
                    "upfront_price": up,
                    "monthly_recurring_price": monthly,
                    "currency": "USD",
                },
            }
            for po, pt, up, monthly in priced
        ],
    }


ONE = option("oqo-00000000000000001", 1, ("ALL_UPFRONT", "THREE_YEARS", 318060.0, 0.0),
             ("NO_UPFRONT", "THREE_YEARS", 0.0, 9500.0))
TWO = option("oqo-00000000000000002", 2, ("ALL_UPFRONT", "THREE_YEARS", 636120.0, 0.0))


def test_the_only_match_is_chosen() -> None:
    assert pick_option([ONE, TWO], "NO_UPFRONT", "THREE_YEARS") is ONE


def test_where_narrows_several_matches() -> None:
    chosen = pick_option([ONE, TWO], "ALL_UPFRONT", "THREE_YEARS", where=lambda o: len(o["specifications"]) == 2)
    assert chosen is TWO


def test_several_matches_fail_listing_the_options() -> None:
    with pytest.raises(OptionChoiceError) as raised:
        pick_option([ONE, TWO], "ALL_UPFRONT", "THREE_YEARS")
    message = str(raised.value)
    assert "2 quote options are priced for ALL_UPFRONT / THREE_YEARS" in message
    assert "oqo-00000000000000001: EC2 m5.24xlarge x4; NEW_RACK x1" in message
    assert "oqo-00000000000000002: EC2 m5.24xlarge x8; NEW_RACK x2" in message


def test_no_match_fails_naming_what_was_asked() -> None:
    with pytest.raises(OptionChoiceError, match="no quote option is priced for PARTIAL_UPFRONT / ONE_YEAR"):
        pick_option([ONE, TWO], "PARTIAL_UPFRONT", "ONE_YEAR")


def test_price_of_an_option() -> None:
    price = price_of(ONE, "NO_UPFRONT", "THREE_YEARS")
    assert price is not None
    assert (price.amount(price.upfront), price.amount(price.monthly)) == ("$0.00", "$9,500.00")
    assert price_of(ONE, "NO_UPFRONT", None) == price
    assert price_of(ONE, "PARTIAL_UPFRONT", "THREE_YEARS") is None
