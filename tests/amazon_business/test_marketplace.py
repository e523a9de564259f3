"""``marketplace`` (an Amazon Business country code) was called ``region``: stacks and programs written before
the rename keep working, and an order placed under the old name is never replaced for it (a replacement
places a second real order, and the first cannot be cancelled).

The provider is called as the engine calls it, the resource class under Pulumi's mocks, the review on
preview steps; ``test_amazon_business_e2e`` upgrades a real stack.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pulumi
import pytest
from no_lookups import NoLookups

from pulumi_outposts_orders._tokens import AMAZON_BUSINESS_TYPE
from pulumi_outposts_orders.amazon_business import client, results
from pulumi_outposts_orders.amazon_business.provider import AmazonBusinessOrderProvider
from pulumi_outposts_orders.amazon_business.resource import (
    AmazonBusinessLineItemArgs,
    AmazonBusinessOrder,
    AmazonBusinessOrderArgs,
    MoneyArgs,
    ShippingAddressArgs,
)
from pulumi_outposts_orders.review import render, review

NEWS: dict[str, Any] = {
    "line_items": [{"asin": "B07QSFP28A", "buying_option_id": "bo-qsfp28-sr4", "quantity": 4}],
    "shipping_address": {"full_name": "Site Ops", "address_line1": "1 Main St", "city": "Seattle",
                         "postal_code": "98109", "country_code": "US"},
    "buyer_email": "buyer@example.com", "marketplace": "US", "order_key": "org/project/stack/optics",
}
ANSWER: dict[str, Any] = {"externalId": "pulumi-x", "lineItems": [{"externalId": "line-item-1", "acceptedItems": [
    {"quantity": 4, "artifacts": [{"acceptanceArtifactType": "OrderIdentifier", "identifier": "114-1"},
                                  {"acceptanceArtifactType": "Charge",
                                   "amount": {"currencyCode": "USD", "amount": 516.0}}]}]}]}
PROVIDER = AmazonBusinessOrderProvider()


def as_before(props: dict[str, Any]) -> dict[str, Any]:
    """``props`` as a version before the rename wrote them: ``region``, no ``marketplace``."""
    found = dict(props)
    found["region"] = found.pop("marketplace")
    return found


def old_state() -> tuple[dict[str, Any], dict[str, Any]]:
    """The inputs and outputs of an order placed before the rename."""
    checked = PROVIDER.check({}, NEWS).inputs
    outputs = {**checked, "external_id": "pulumi-x", "line_item_results": results.line_results(ANSWER),
               "delivery_status": "ORDERED", "total": 516.0, "currency": "USD"}
    return as_before(checked), as_before(outputs)


# --- the provider ---------------------------------------------------------------------------------
def test_an_upgraded_stack_shows_no_change_and_is_never_replaced() -> None:
    old_inputs, old_outputs = old_state()
    checked = PROVIDER.check(old_inputs, NEWS)
    assert checked.failures == []
    assert checked.inputs["marketplace"] == "US" and "region" not in checked.inputs
    assert checked.inputs["order_key"] == NEWS["order_key"] and checked.inputs["order_generation"] == 1
    diff = PROVIDER.diff("pulumi-x", old_outputs, checked.inputs)
    assert not diff.changes and not diff.replaces


def test_news_that_still_carry_region_are_checked_as_marketplace() -> None:
    old_inputs, old_outputs = old_state()
    checked = PROVIDER.check(old_inputs, as_before(NEWS))
    assert checked.failures == []
    assert checked.inputs["marketplace"] == "US" and "region" not in checked.inputs
    assert not PROVIDER.diff("pulumi-x", old_outputs, checked.inputs).changes
    fresh = PROVIDER.check({}, as_before(NEWS))  # a program still passing region, no state yet
    assert fresh.failures == [] and fresh.inputs["marketplace"] == "US" and "region" not in fresh.inputs


def test_a_real_change_of_marketplace_is_still_refused_then_replaces() -> None:
    old_inputs, old_outputs = old_state()
    refused = PROVIDER.check(old_inputs, {**NEWS, "marketplace": "CA"})
    assert [f.property for f in refused.failures] == ["marketplace"]
    assert "marketplace differs from the Amazon Business order placed as generation 1" in refused.failures[0].reason
    raised = PROVIDER.check(old_inputs, {**NEWS, "marketplace": "CA", "generation": 2})
    assert raised.failures == []
    assert PROVIDER.diff("pulumi-x", old_outputs, raised.inputs).replaces == ["marketplace", "generation"]


def test_a_missing_or_unknown_marketplace_is_named() -> None:
    news = {k: v for k, v in NEWS.items() if k != "marketplace"}
    [failure] = PROVIDER.check({}, news).failures
    assert failure.reason.startswith("marketplace is required: the two-letter country code of an Amazon Business")
    [failure] = PROVIDER.check({}, {**NEWS, "marketplace": "ZZ"}).failures
    assert failure.property == "marketplace" and "marketplace 'ZZ' is not an Amazon Business marketplace" in (
        failure.reason)


def test_read_of_old_state_asks_the_marketplace_and_writes_it_back_under_its_name(
        monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[tuple[str, str, str]] = []

    def order_details(marketplace: str, external_id: str, email: str) -> dict[str, Any]:
        asked.append((marketplace, external_id, email))
        return ANSWER

    monkeypatch.setattr(client, "order_details", order_details)
    _, old_outputs = old_state()
    read = PROVIDER.read("pulumi-x", old_outputs)
    assert asked == [("US", "pulumi-x", "buyer@example.com")]
    assert read.outs is not None
    assert read.id == "pulumi-x" and read.outs["marketplace"] == "US" and "region" not in read.outs
    assert read.outs["line_item_results"][0]["order_identifier"] == "114-1"
    assert not PROVIDER.diff("pulumi-x", read.outs, PROVIDER.check(old_state()[0], NEWS).inputs).changes


def test_update_of_old_state_writes_marketplace() -> None:
    old_inputs, old_outputs = old_state()
    news = PROVIDER.check(old_inputs, NEWS).inputs
    outs = PROVIDER.update("pulumi-x", old_outputs, {**news, "order_key": "org/project/stack/moved"}).outs
    assert outs is not None
    assert outs["marketplace"] == "US" and "region" not in outs and outs["order_key"] == "org/project/stack/moved"
    assert outs["external_id"] == "pulumi-x" and outs["line_item_results"] == old_outputs["line_item_results"]


# --- the resource class ---------------------------------------------------------------------------
class Mocks(pulumi.runtime.Mocks):
    """Records the inputs each resource is registered with."""

    def __init__(self) -> None:
        self.registered: list[dict[str, Any]] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        self.registered.append(dict(args.inputs))
        return "pulumi-x", dict(args.inputs)

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        return {}, []


@pytest.fixture
def mocks() -> Iterator[Mocks]:
    recorded = Mocks()
    pulumi.runtime.set_mocks(recorded, project="site", stack="dev", preview=False)
    yield recorded


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr(pulumi.log, "warn", lambda message, *args, **kwargs: said.append(message))
    return said


LINE = AmazonBusinessLineItemArgs(asin="B07QSFP28A", buying_option_id="bo-qsfp28-sr4", quantity=4,
                                  expected_unit_price=MoneyArgs("USD", 129.0))
ADDRESS = ShippingAddressArgs(full_name="Site Ops", address_line1="1 Main St", city="Seattle",
                              postal_code="98109", country_code="US")


def registered(order: AmazonBusinessOrder, mocks: Mocks) -> pulumi.Output[Any]:
    def check(_: Any) -> dict[str, Any]:
        [props] = mocks.registered
        return props
    return order.urn.apply(check)


@pulumi.runtime.test
def test_region_is_accepted_as_marketplace_with_a_warning(mocks: Mocks, warnings: list[str]) -> pulumi.Output[Any]:
    order = AmazonBusinessOrder("optics", line_items=[LINE], shipping_address=ADDRESS,
                                buyer_email="buyer@example.com", region="US")
    assert warnings == ["AmazonBusinessOrder('optics'): `region` is deprecated: use `marketplace` (the same value, "
                        "the country code of the Amazon Business marketplace such as US); `region` will be removed"]

    def check(props: dict[str, Any]) -> None:
        assert props["marketplace"] == "US" and "region" not in props
        assert props["line_items"] == [{"asin": "B07QSFP28A", "buying_option_id": "bo-qsfp28-sr4", "quantity": 4,
                                        "expected_unit_price": {"currency": "USD", "amount": 129.0}}]
    return registered(order, mocks).apply(check)


@pulumi.runtime.test
def test_region_in_args_is_accepted_too(mocks: Mocks, warnings: list[str]) -> pulumi.Output[Any]:
    order = AmazonBusinessOrder("optics", AmazonBusinessOrderArgs(
        line_items=[LINE], shipping_address=ADDRESS, buyer_email="buyer@example.com", region="US"))
    assert len(warnings) == 1 and "`region` is deprecated: use `marketplace`" in warnings[0]
    return registered(order, mocks).apply(lambda props: assert_marketplace(props, "US"))


@pulumi.runtime.test
def test_marketplace_needs_no_warning_and_dict_inputs_are_taken(mocks: Mocks,
                                                                warnings: list[str]) -> pulumi.Output[Any]:
    order = AmazonBusinessOrder("optics", line_items=[{"asin": "B07QSFP28A", "buying_option_id": "bo-1",
                                                       "quantity": 1}],
                                shipping_address=dict(NEWS["shipping_address"]), buyer_email="buyer@example.com",
                                marketplace="DE")
    assert warnings == []
    return registered(order, mocks).apply(lambda props: assert_marketplace(props, "DE"))


def assert_marketplace(props: dict[str, Any], marketplace: str) -> None:
    assert props["marketplace"] == marketplace and "region" not in props


def test_region_and_marketplace_together_is_an_error_naming_both(mocks: Mocks, warnings: list[str]) -> None:
    with pytest.raises(TypeError, match="give marketplace only: region is its deprecated former name, and both"):
        AmazonBusinessOrder("optics", line_items=[LINE], shipping_address=ADDRESS, buyer_email="buyer@example.com",
                            marketplace="US", region="US")
    with pytest.raises(TypeError, match="give marketplace only: region is its deprecated former name"):
        AmazonBusinessOrder("optics", AmazonBusinessOrderArgs(line_items=[LINE], shipping_address=ADDRESS,
                                                              buyer_email="buyer@example.com", marketplace="US",
                                                              region="DE"))
    assert warnings == []


# --- the review -----------------------------------------------------------------------------------
URN = f"urn:pulumi:dev::site::{AMAZON_BUSINESS_TYPE}::optics"


def outpost_cell(step: dict[str, Any]) -> str:
    text = render(review({"steps": [step]}, NoLookups()))
    header = next(line for line in text.splitlines() if line.startswith("| Change"))
    row = next(line for line in text.splitlines() if "Amazon Business order `optics`" in line)
    column = [c.strip() for c in header.split("|")].index("Outpost")
    return [c.strip() for c in row.split("|")][column]


def test_the_review_says_marketplace_in_the_outpost_column_for_new_and_old_state() -> None:
    old_inputs, old_outputs = old_state()
    created = {"op": "create", "urn": URN, "newState": {"urn": URN, "type": AMAZON_BUSINESS_TYPE, "inputs": NEWS}}
    assert outpost_cell(created) == "US marketplace"
    destroyed = {"op": "delete", "urn": URN, "oldState": {"urn": URN, "type": AMAZON_BUSINESS_TYPE, "id": "pulumi-x",
                                                          "inputs": old_inputs, "outputs": old_outputs}}
    assert outpost_cell(destroyed) == "US marketplace"
