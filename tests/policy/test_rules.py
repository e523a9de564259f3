"""The policy pack's rules as functions of a resource's inputs: each broken and kept, with the message a user
reads (the resource, the value, the limit); the pack's type tokens are the resources' own."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_outposts_orders._tokens import AMAZON_BUSINESS_TYPE, ORDER_TYPE, RENEWAL_TYPE
from pulumi_outposts_orders.money import TERM_MONTHS
from pulumi_outposts_orders.policy.pack import outposts_rules as rules
from pulumi_outposts_orders.policy.pack.outposts_rules import Resource

OUTPOST = "op-0123456789abcdef0"
ARN = f"arn:aws:outposts:us-east-1:123456789012:outpost/{OUTPOST}"


def quote_order(**changes: Any) -> dict[str, Any]:
    return {"outpost_identifier": OUTPOST, "quote_identifier": "oq-0123456789abcdef0",
            "quote_option_identifier": "oqo-0123456789abcdef0", "payment_option": "PARTIAL_UPFRONT",
            "payment_term": "THREE_YEARS", "retain_on_delete": True,
            "expected_price": {"currency": "USD", "upfront_price": 100000.0, "monthly_recurring_price": 1000.0},
            **changes}


def ab_order(*lines: dict[str, Any]) -> dict[str, Any]:
    return {"line_items": list(lines), "marketplace": "US"}


def ab_line(asin: str = "B07QSFP28A", quantity: int = 2, unit: float | None = 129.0,
            charge: float | None = None, currency: str = "USD") -> dict[str, Any]:
    line: dict[str, Any] = {"asin": asin, "buying_option_id": "bo", "quantity": quantity}
    if unit is not None:
        line["expected_unit_price"] = {"currency": currency, "amount": unit}
    if charge is not None:
        line["expected_charge"] = {"currency": currency, "amount": charge}
    return line


def test_the_packs_type_tokens_are_the_resources() -> None:
    assert (rules.ORDER_TYPE, rules.RENEWAL_TYPE, rules.AMAZON_BUSINESS_TYPE) == (
        ORDER_TYPE, RENEWAL_TYPE, AMAZON_BUSINESS_TYPE)
    assert rules.TERM_MONTHS == TERM_MONTHS  # the pack's copy (it cannot import the package)


def test_the_price_is_upfront_plus_every_month_of_the_term() -> None:
    assert rules.price(ORDER_TYPE, quote_order()) == rules.Price("USD", 100000.0, 136000.0)
    assert rules.price(ORDER_TYPE, quote_order(payment_term="FIVE_YEARS")) == rules.Price("USD", 100000.0, 160000.0)
    # A monthly price without a term cannot give a total; an upfront-only price can.
    assert rules.price(ORDER_TYPE, quote_order(payment_term=None)) == rules.Price("USD", 100000.0, None)
    upfront_only = quote_order(payment_term=None, expected_price={"currency": "USD", "upfront_price": 5.0})
    assert rules.price(ORDER_TYPE, upfront_only) == rules.Price("USD", 5.0, 5.0)
    assert rules.price(ORDER_TYPE, {"line_items": [{"catalog_item_id": "OR-A1B2C3D", "quantity": 1}]}) is None
    # Amazon Business: the charge if stated, else unit price times quantity, to the cent.
    assert rules.price(AMAZON_BUSINESS_TYPE, ab_order(ab_line(), ab_line(unit=None, charge=899.0))) == rules.Price(
        "USD", 1157.0, 1157.0)
    assert rules.price(AMAZON_BUSINESS_TYPE, ab_order(ab_line(), ab_line(currency="EUR"))) is None


def test_expected_price_is_required_on_quote_orders_and_renewals_only() -> None:
    assert rules.expected_price_required(ORDER_TYPE, "rack", quote_order()) == []
    [message] = rules.expected_price_required(ORDER_TYPE, "rack", quote_order(expected_price=None))
    assert message.startswith("OutpostOrder 'rack' states no expected_price: the price of quote oq-0123456789abcdef0")
    assert rules.expected_price_required(ORDER_TYPE, "rack", quote_order(expected_price={"currency": "USD"})) != []
    assert rules.expected_price_required(RENEWAL_TYPE, "renew", {"outpost_identifier": OUTPOST}) != []
    adopted = quote_order(expected_price=None, adopt_order_id="oo-0123456789abcdef0")  # places nothing
    assert rules.expected_price_required(ORDER_TYPE, "rack", adopted) == []
    assert rules.order_price_cap(ORDER_TYPE, "rack", {**adopted, "expected_price": {"currency": "USD",
                                                                                "upfront_price": 9.0}},
                                 {"max_total": 1}) == []
    line_items = {"outpost_identifier": OUTPOST, "line_items": [{"catalog_item_id": "OR-A1B2C3D", "quantity": 1}]}
    assert rules.expected_price_required(ORDER_TYPE, "rack", line_items) == []


def test_per_order_caps_name_the_amount_and_the_cap() -> None:
    assert rules.order_price_cap(ORDER_TYPE, "rack", quote_order(), {"max_upfront": 100000}) == []
    [upfront] = rules.order_price_cap(ORDER_TYPE, "rack", quote_order(), {"max_upfront": 99999.99})
    assert upfront == ("OutpostOrder 'rack' costs 100,000.00 USD upfront, above the cap max_upfront 99,999.99 USD")
    [total] = rules.order_price_cap(ORDER_TYPE, "rack", quote_order(), {"max_total": 130000})
    assert total == ("OutpostOrder 'rack' costs 136,000.00 USD total over the term, above the cap max_total "
                     "130,000.00 USD")
    [currency] = rules.order_price_cap(ORDER_TYPE, "rack", quote_order(), {"max_total": 1e9, "currency": "EUR"})
    assert "priced in USD, but the cap max_total is in EUR" in currency
    [unknown] = rules.order_price_cap(ORDER_TYPE, "rack", quote_order(payment_term=None), {"max_total": 1e9})
    assert "cannot be known" in unknown
    # Without a stated price the engine cannot check the cap (the review prices it).
    assert rules.order_price_cap(ORDER_TYPE, "rack", quote_order(expected_price=None), {"max_total": 1}) == []


def test_allowed_payment_outposts_and_items() -> None:
    config = {"payment_options": ["ALL_UPFRONT"], "payment_terms": ["THREE_YEARS", "FIVE_YEARS"]}
    [option] = rules.allowed_payment(ORDER_TYPE, "rack", quote_order(), config)
    assert option == ("OutpostOrder 'rack' has payment_option 'PARTIAL_UPFRONT', which is not allowed: "
                      "payment_options is ALL_UPFRONT")
    [term] = rules.allowed_payment(RENEWAL_TYPE, "renew", {"payment_option": "ALL_UPFRONT"}, config)
    assert "payment_term not given (the term AWS applies), which is not allowed" in term
    assert rules.allowed_payment(ORDER_TYPE, "rack", quote_order(), {}) == []
    # The same Outpost by ID or ARN, on either side.
    for declared, allowed in ((ARN, OUTPOST), (OUTPOST, ARN), (ARN, ARN)):
        assert rules.allowed_outposts(ORDER_TYPE, "rack", quote_order(outpost_identifier=declared),
                                      {"outposts": [allowed]}) == []
    [other] = rules.allowed_outposts(ORDER_TYPE, "rack", quote_order(outpost_identifier="op-0abcdef0123456789"),
                                     {"outposts": [ARN]})
    assert other == ("OutpostOrder 'rack' is for Outpost 'op-0abcdef0123456789', which is not allowed: outposts is "
                     f"{ARN}")
    items = {"line_items": [{"catalog_item_id": "OR-A1B2C3D", "quantity": 1}, {"catalog_item_id": "OR-OTHER1",
                                                                               "quantity": 1}]}
    [item] = rules.allowed_items(ORDER_TYPE, "rack", items, {"catalog_items": ["or-a1b2c3d"]})
    assert item.startswith("OutpostOrder 'rack' line_items[1].catalog_item_id is 'OR-OTHER1', which is not allowed")
    [asin] = rules.allowed_items(AMAZON_BUSINESS_TYPE, "optics", ab_order(ab_line(asin="B0OTHER000")),
                                 {"asins": ["B07QSFP28A"]})
    assert "line_items[0].asin is 'B0OTHER000'" in asin


def test_amazon_business_lines_state_prices_within_the_cap() -> None:
    assert rules.amazon_business_expectations(AMAZON_BUSINESS_TYPE, "optics", ab_order(ab_line()), {}) == []
    [unpriced] = rules.amazon_business_expectations(AMAZON_BUSINESS_TYPE, "optics",
                                                    ab_order(ab_line(), ab_line(asin="B09PDUC19A", unit=None)), {})
    assert unpriced.startswith("AmazonBusinessOrder 'optics' line_items[1] (B09PDUC19A) states no expected price")
    [dear] = rules.amazon_business_expectations(AMAZON_BUSINESS_TYPE, "optics", ab_order(ab_line(quantity=10)),
                                                {"max_total": 1000})
    assert dear == "AmazonBusinessOrder 'optics' costs 1,290.00 USD in total, above the cap max_total 1,000.00 USD"


def test_orders_keep_retain_on_delete() -> None:
    assert rules.retain_on_delete_kept(ORDER_TYPE, "rack", quote_order()) == []
    [message] = rules.retain_on_delete_kept(ORDER_TYPE, "rack", quote_order(retain_on_delete=False))
    assert message.startswith("OutpostOrder 'rack' is declared without the resource option retain_on_delete")
    assert rules.retain_on_delete_kept(RENEWAL_TYPE, "renew", {}) == []


@pytest.mark.parametrize(("config", "words"), [
    ({"max_upfront": 150000}, "commits 200,000.00 USD upfront over 2 orders and renewals, above the cap max_upfront"),
    ({"max_total": 250000}, "commits 272,000.00 USD total over the terms over 2 orders"),
])
def test_the_stack_cap_sums_what_can_still_cost_money(config: dict[str, Any], words: str) -> None:
    stack = [Resource(ORDER_TYPE, "a", quote_order()), Resource(ORDER_TYPE, "b", quote_order()),
             Resource(ORDER_TYPE, "gone", {**quote_order(), "status": "CANCELLED"}),
             Resource("pulumi:pulumi:Stack", "site", {})]
    [message] = rules.stack_price_cap(stack, config, "site-a")
    assert message.startswith("stack 'site-a' ") and words in message


def test_the_stack_cap_is_never_passed_by_leaving_prices_out() -> None:
    stack = [Resource(ORDER_TYPE, "a", quote_order()), Resource(ORDER_TYPE, "items", {"line_items": []})]
    [message] = rules.stack_price_cap(stack, {"max_total": 1e9}, "site-a")
    assert "the total over the terms of OutpostOrder 'items' cannot be known" in message
    assert rules.stack_price_cap(stack, {"max_total": 1e9, "allow_unpriced": True}, "site-a") == []
    assert rules.stack_price_cap(stack, {}, "site-a") == []
