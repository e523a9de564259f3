"""A line item's ``distributions``: its cost split over accounting groups (Amazon Business's ``Distribution``
line attribute: an ``Accounting`` of 1 to 15 ``Segment`` s and a ``Charge_2``), as sent, checked and refused."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pulumi.output import Unknown

from pulumi_outposts_orders.amazon_business import inputs, resource
from pulumi_outposts_orders.amazon_business.provider import AmazonBusinessOrderProvider
from pulumi_outposts_orders.amazon_business.resource import (
    AccountingSegmentArgs,
    AmazonBusinessDistributionArgs,
    AmazonBusinessLineItemArgs,
    MoneyArgs,
)
from pulumi_outposts_orders.emulator.testing import RunningEmulator

from .test_emulator_published import QSFP, Client
from .test_published_model import MINIMAL, problems

SEGMENT = {"id": "CC-4410", "type": "CostCenter", "description": "Site operations"}
GL = {"id": "6100", "type": "GLAccount", "description": "Network hardware"}
# 4 x 129.00 USD = 516.00, split 387.00 (two segments) + 129.00.
DISTRIBUTIONS: list[dict[str, Any]] = [
    {"name": "site build", "segments": [SEGMENT, GL], "amount": {"currency": "USD", "amount": 387.0}},
    {"name": "spares", "segments": [{**SEGMENT, "id": "CC-4420"}], "amount": {"currency": "USD", "amount": 129}},
]
LINE: dict[str, Any] = {"asin": "B07QSFP28A", "buying_option_id": "bo-qsfp28-sr4", "quantity": 4,
                        "expected_unit_price": {"currency": "USD", "amount": 129.0},
                        "expected_charge": {"currency": "USD", "amount": 516.0}, "distributions": DISTRIBUTIONS}
PROVIDER = AmazonBusinessOrderProvider()


def props(**line: Any) -> dict[str, Any]:
    """An order of one line: ``LINE`` with ``line``'s members (``None``: without that member)."""
    item = {k: v for k, v in {**LINE, **line}.items() if v is not None}
    return {**MINIMAL, "marketplace": "US", "line_items": [item]}


def failures(**line: Any) -> list[tuple[str, str]]:
    return [(f.property, f.reason) for f in inputs.check_inputs(props(**line))]


def test_each_distribution_is_a_line_attribute_the_published_model_defines() -> None:
    assert inputs.check_inputs(props()) == []
    request = inputs.place_request(props(), "pulumi-x")
    assert problems("PlaceOrderRequest", request) == []
    [line] = request["lineItems"]
    assert [a["attributeType"] for a in line["attributes"]] == [
        "SelectedProductReference", "SelectedBuyingOptionReference", "Distribution", "Distribution"]
    assert line["attributes"][2:] == [
        {"attributeType": "Distribution",
         "accounting": {"name": "site build", "segments": [
             {"id": "CC-4410", "type": "CostCenter", "description": "Site operations"},
             {"id": "6100", "type": "GLAccount", "description": "Network hardware"}]},
         "charge": {"amount": {"currencyCode": "USD", "amount": 387.0}}},
        {"attributeType": "Distribution",
         "accounting": {"name": "spares", "segments": [
             {"id": "CC-4420", "type": "CostCenter", "description": "Site operations"}]},
         "charge": {"amount": {"currencyCode": "USD", "amount": 129.0}}},
    ]
    # A line without expectations may carry distributions too.
    bare = props(expected_unit_price=None, expected_charge=None)
    assert inputs.check_inputs(bare) == []
    assert problems("PlaceOrderRequest", inputs.place_request(bare, "pulumi-x")) == []


def test_an_order_without_distributions_sends_the_body_it_sent_before() -> None:
    """Nothing is added for a line without ``distributions``: the body, so the order's idempotency, is unchanged."""
    without = props(distributions=None)
    body = inputs.place_request(without, "pulumi-x")
    assert inputs.place_request({**without, "line_items": [{**LINE, "distributions": None}]}, "pulumi-x") == body
    # The line exactly as placeOrder was sent it before distributions existed.
    assert body["lineItems"] == [{
        "externalId": "line-item-1", "quantity": 4,
        "attributes": [
            {"attributeType": "SelectedProductReference",
             "productReference": {"productReferenceType": "ProductIdentifier", "id": "B07QSFP28A"}},
            {"attributeType": "SelectedBuyingOptionReference",
             "buyingOptionReference": {"buyingOptionReferenceType": "BuyingOptionIdentifier", "id": "bo-qsfp28-sr4"}},
        ],
        "expectations": [
            {"expectationType": "ExpectedUnitPrice", "amount": {"currencyCode": "USD", "amount": 129.0}},
            {"expectationType": "ExpectedCharge", "amount": {"currencyCode": "USD", "amount": 516.0},
             "source": "SUBTOTAL"},
        ],
    }]
    with_them = inputs.place_request(props(), "pulumi-x")
    assert json.dumps(with_them) != json.dumps(body)  # distributions are part of what is ordered
    del with_them["lineItems"][0]["attributes"][2:]
    assert with_them == body


def distribution(index: int = 0, **members: Any) -> list[dict[str, Any]]:
    """``DISTRIBUTIONS`` with distribution ``index``'s members changed (``None``: removed)."""
    changed = {k: v for k, v in {**DISTRIBUTIONS[index], **members}.items() if v is not None}
    return [changed if i == index else d for i, d in enumerate(DISTRIBUTIONS)]


def segment(**members: Any) -> list[dict[str, Any]]:
    """``DISTRIBUTIONS`` with the second segment of the first distribution changed (``None``: removed)."""
    return distribution(segments=[SEGMENT, {k: v for k, v in {**GL, **members}.items() if v is not None}])


WHERE = "line_items[0].distributions"
BROKEN: list[tuple[str, dict[str, Any], str, str]] = [
    ("not a list", {"distributions": {"name": "x"}}, WHERE, "must be a list of at least one distribution"),
    ("empty", {"distributions": []}, WHERE, "must be a list of at least one distribution"),
    ("not an object", {"distributions": [DISTRIBUTIONS[0], "spares"]}, f"{WHERE}[1]",
     "must be an object with name, segments, amount"),
    ("unknown key", {"distributions": distribution(percent=50)}, f"{WHERE}[0].percent",
     "unknown key 'percent': a distribution has name, segments, amount"),
    ("no name", {"distributions": distribution(1, name=None)}, f"{WHERE}[1].name",
     "is required: a string of 1 to 255 characters"),
    ("empty name", {"distributions": distribution(name="")}, f"{WHERE}[0].name", "a string of 1 to 255 characters"),
    ("long name", {"distributions": distribution(name="n" * 256)}, f"{WHERE}[0].name",
     "a string of 1 to 255 characters"),
    ("no segments", {"distributions": distribution(segments=None)}, f"{WHERE}[0].segments",
     "must be a list of 1 to 15 segments {id, type, description}"),
    ("empty segments", {"distributions": distribution(segments=[])}, f"{WHERE}[0].segments",
     "must be a list of 1 to 15 segments"),
    ("16 segments", {"distributions": distribution(segments=[SEGMENT] * 16)}, f"{WHERE}[0].segments",
     "must be a list of 1 to 15 segments"),
    ("segment not an object", {"distributions": distribution(segments=["CC-4410"])}, f"{WHERE}[0].segments[0]",
     "must be an object with id, type, description"),
    ("segment unknown key", {"distributions": segment(code="x")}, f"{WHERE}[0].segments[1].code",
     "unknown key 'code': a segment has id, type, description"),
    ("segment no id", {"distributions": segment(id=None)}, f"{WHERE}[0].segments[1].id",
     "is required: a string of 1 to 255 characters"),
    ("segment empty type", {"distributions": segment(type="")}, f"{WHERE}[0].segments[1].type",
     "a string of 1 to 255 characters"),
    ("segment long description", {"distributions": segment(description="d" * 256)},
     f"{WHERE}[0].segments[1].description", "a string of 1 to 255 characters"),
    ("segment id a number", {"distributions": segment(id=6100)}, f"{WHERE}[0].segments[1].id",
     "a string of 1 to 255 characters"),
    ("no amount", {"distributions": distribution(amount=None)}, f"{WHERE}[0].amount",
     "is required: {currency, amount}"),
    ("amount not money", {"distributions": distribution(amount=387.0)}, f"{WHERE}[0].amount",
     "must be {currency, amount}"),
    ("negative amount", {"distributions": distribution(amount={"currency": "USD", "amount": -1.0})},
     f"{WHERE}[0].amount.amount", "amount must be a finite number >= 0"),
    ("infinite amount", {"distributions": distribution(amount={"currency": "USD", "amount": float("inf")})},
     f"{WHERE}[0].amount.amount", "amount must be a finite number >= 0"),
    ("bad currency", {"distributions": distribution(amount={"currency": "usd", "amount": 387.0})},
     f"{WHERE}[0].amount.currency", "currency must be an ISO 4217 code"),
    ("other currency than the line's", {"distributions": distribution(1, amount={"currency": "EUR", "amount": 129})},
     f"{WHERE}[1].amount.currency", "is EUR but line_items[0].expected_unit_price.currency is USD: a line's "
     "expectations and distributions are in one currency"),
    ("currencies mixed without expectations",
     {"expected_unit_price": None, "expected_charge": None,
      "distributions": distribution(1, amount={"currency": "EUR", "amount": 129})},
     f"{WHERE}[1].amount.currency", f"is EUR but {WHERE}[0].amount.currency is USD"),
    ("sum below the charge", {"distributions": distribution(1, amount={"currency": "USD", "amount": 128.99})},
     WHERE, f"{WHERE} amounts sum to 515.99 USD but line_items[0].expected_charge is 516.00 USD: a line's "
     "distributions split its charge, so they must sum to it exactly (to the cent)"),
    ("sum above the charge", {"distributions": [*DISTRIBUTIONS, {**DISTRIBUTIONS[1], "name": "extra"}]},
     WHERE, "amounts sum to 645.00 USD but line_items[0].expected_charge is 516.00 USD"),
]


@pytest.mark.parametrize(("line", "where", "rule"), [case[1:] for case in BROKEN], ids=[case[0] for case in BROKEN])
def test_each_broken_rule_names_the_property_and_the_rule(line: dict[str, Any], where: str, rule: str) -> None:
    [(found, reason)] = failures(**line)
    assert found == where
    assert rule in reason


def test_every_broken_distribution_is_reported_at_once() -> None:
    broken = [{"name": "", "segments": [{**SEGMENT, "id": ""}], "amount": {"currency": "USD", "amount": -1}},
              {"segments": [SEGMENT] * 16, "amount": {"currency": "USD", "amount": 1}}]
    assert [where for where, _ in failures(distributions=broken)] == [
        f"{WHERE}[0].name", f"{WHERE}[0].segments[0].id", f"{WHERE}[0].amount.amount", f"{WHERE}[1].name",
        f"{WHERE}[1].segments"]  # and no sum: it is checked once every amount is valid


@pytest.mark.parametrize("split", [[100.1, 100.2, 315.7], [0.1, 0.2, 515.7], [516], [516.0, 0]])
def test_amounts_summing_to_the_charge_to_the_cent_pass(split: list[float]) -> None:
    parts = [{"name": f"part {i}", "segments": [SEGMENT], "amount": {"currency": "USD", "amount": a}}
             for i, a in enumerate(split)]
    assert failures(distributions=parts) == []


def test_without_an_expected_charge_the_amounts_are_not_summed() -> None:
    assert failures(expected_charge=None) == []
    assert failures(expected_charge=None, distributions=distribution(amount={"currency": "USD", "amount": 1.0})) == []


@pytest.mark.parametrize("line", [
    {"distributions": Unknown()},
    {"distributions": [DISTRIBUTIONS[0], Unknown()]},
    {"distributions": distribution(name=Unknown(), segments=Unknown())},
    {"distributions": distribution(segments=[Unknown(), {**SEGMENT, "id": Unknown()}])},
    {"distributions": distribution(amount=Unknown())},
    {"distributions": distribution(amount={"currency": Unknown(), "amount": 387.0})},
    {"distributions": distribution(amount={"currency": "USD", "amount": Unknown()})},
    {"expected_charge": Unknown()},
    {"expected_charge": {"currency": "USD", "amount": Unknown()}, "expected_unit_price": None},
], ids=["list", "distribution", "name-and-segments", "segment-and-id", "amount", "currency", "amount-value",
        "expected-charge", "expected-charge-amount"])
def test_values_unknown_at_preview_pass(line: dict[str, Any]) -> None:
    """An unknown value passes, and so does the sum while an amount or the charge is unknown."""
    assert failures(**line) == []
    assert PROVIDER.check({}, props(**line)).failures == []


@pytest.mark.parametrize(("line", "where", "rule"), [case[1:] for case in BROKEN[::4]],
                         ids=[case[0] for case in BROKEN[::4]])
def test_the_provider_check_reports_them(line: dict[str, Any], where: str, rule: str) -> None:
    """As the engine shows them: the top-level property, and a reason starting with the full path."""
    [failure] = PROVIDER.check({}, props(**line)).failures
    assert failure.property == "line_items"
    assert failure.reason.startswith(where) and rule in failure.reason


REFUSED_BY_THE_MODEL: dict[str, list[dict[str, Any]]] = {
    "16 segments": distribution(segments=[SEGMENT] * 16),
    "no segments": distribution(segments=[]),
    "empty name": distribution(name=""),
    "long name": distribution(name="n" * 256),
    "empty segment id": segment(id=""),
    "long segment type": segment(type="t" * 256),
    "lower-case currency": distribution(amount={"currency": "usd", "amount": 387.0}),
}


@pytest.mark.parametrize("broken", REFUSED_BY_THE_MODEL.values(), ids=REFUSED_BY_THE_MODEL.keys())
def test_what_the_published_model_refuses_check_refuses_first(broken: list[dict[str, Any]]) -> None:
    """The checks are at least as strict as the model: nothing check passes is a request Amazon would refuse."""
    assert failures(distributions=broken)
    assert problems("PlaceOrderRequest", inputs.place_request(props(distributions=broken), "pulumi-x"))


def test_a_change_to_distributions_replaces_the_order_once_generation_is_raised() -> None:
    placed = {**PROVIDER.check({}, props()).inputs, "order_generation": 1}
    moved = props(distributions=distribution(1, segments=[GL]))
    [refused] = PROVIDER.check(placed, moved).failures
    assert refused.property == "line_items" and "set generation to 2" in refused.reason
    checked = PROVIDER.check(placed, {**moved, "generation": 2})
    assert checked.failures == []
    diff = PROVIDER.diff("pulumi-x", placed, checked.inputs)
    assert sorted(diff.replaces or []) == ["generation", "line_items"] and diff.delete_before_replace is False
    assert PROVIDER.diff("pulumi-x", placed, PROVIDER.check(placed, props()).inputs).replaces == []


def test_the_typed_args_are_the_plain_inputs() -> None:
    args = AmazonBusinessLineItemArgs(
        asin="B07QSFP28A", buying_option_id="bo-qsfp28-sr4", quantity=4,
        expected_unit_price=MoneyArgs("USD", 129.0), expected_charge=MoneyArgs("USD", 516.0),
        distributions=[AmazonBusinessDistributionArgs("site build", [AccountingSegmentArgs(**SEGMENT),
                                                                     AccountingSegmentArgs(**GL)],
                                                      MoneyArgs("USD", 387.0)),
                       AmazonBusinessDistributionArgs(name="spares", amount={"currency": "USD", "amount": 129},
                                                      segments=[{**SEGMENT, "id": "CC-4420"}])])
    assert resource._plain([args]) == props()["line_items"]
    assert "distributions" not in resource._plain(AmazonBusinessLineItemArgs("B07QSFP28A", "bo-qsfp28-sr4", 4))


def test_the_emulator_accepts_a_line_with_distributions(emulator: RunningEmulator) -> None:
    """Its placeOrder validation passes Distribution attributes, and the order is placed (answer checked against
    the published model by ``Client``)."""
    charge = round(QSFP.price * 3, 2)
    line = {"asin": QSFP.asin, "buying_option_id": QSFP.buying_option_id, "quantity": 3,
            "expected_charge": {"currency": QSFP.currency, "amount": charge},
            "distributions": [{"name": "site build", "segments": [SEGMENT, GL],
                               "amount": {"currency": QSFP.currency, "amount": charge}}]}
    assert inputs.check_inputs({**props(), "line_items": [line]}) == []
    answer = Client(emulator).place([line], "with-distributions")
    [entry] = answer["lineItems"]
    assert entry["rejectedItems"] == [] and entry["acceptedItems"][0]["quantity"] == 3
