"""A resource's identity inside components, across separators and renames, through the real engine.

Each test asserts what a customer would check: the live orders in the emulator (Outposts ListOrders +
GetOrder, the Amazon Business orders it holds) and the orders each stack tracks (its exported state).

1. Every resource works inside a component, and inside a component inside a component, under default
   engine settings (the key once depended on the parent component, a dependency cycle): up, refresh,
   destroy.
2. Keys cannot collide through separators: component ``a`` with child ``b/c`` and component ``a/b`` with
   child ``c`` are two resources, with two orders.
3. An Amazon Business order renamed by an alias, or moved into a component, keeps its ``externalId``: a
   replacement with nothing changed afterwards takes the same order back and places nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pulumi
import pytest
from e2e_project import Project, new_project, resources
from e2e_project import live_orders as live
from e2e_project import order_statuses as statuses
from pulumi import ResourceOptions
from pulumi import automation as auto

from pulumi_outposts_orders import LineItemArgs, OutpostOrder, OutpostQuote, QuoteCapacityArgs
from pulumi_outposts_orders._tokens import AMAZON_BUSINESS_TYPE, ORDER_TYPE, QUOTE_TYPE
from pulumi_outposts_orders.amazon_business.resource import (
    AmazonBusinessLineItemArgs,
    AmazonBusinessOrder,
    MoneyArgs,
    ShippingAddressArgs,
)
from pulumi_outposts_orders.emulator import amazon_business as ab
from pulumi_outposts_orders.emulator.app import amazon_business_env
from pulumi_outposts_orders.emulator.outposts import seed
from pulumi_outposts_orders.emulator.testing import RunningEmulator

pytestmark = pytest.mark.e2e

SITE = "identity:test:Site"
QSFP = ab.SEED_PRODUCTS[0]
ADDRESS = ShippingAddressArgs(full_name="Site Ops", address_line1="410 Terry Ave N", city="Seattle",
                              postal_code="98109", country_code="US", state_or_region="WA")


class Site(pulumi.ComponentResource):
    """A customer's component: a site holding orders (and perhaps other sites)."""

    def __init__(self, name: str, opts: ResourceOptions | None = None) -> None:
        super().__init__(SITE, name, None, opts)
        self.register_outputs({})


# --- declarations ------------------------------------------------------------------------------------------
def rack(parent: pulumi.Resource | None, name: str, quantity: int = 1) -> OutpostOrder:
    return OutpostOrder(name, opts=ResourceOptions(parent=parent), outpost_identifier=seed.RACK_OUTPOST_ID,
                        line_items=[LineItemArgs(catalog_item_id=seed.RACK_CATALOG_ITEM_ID, quantity=quantity)],
                        payment_option="ALL_UPFRONT", payment_term="THREE_YEARS")


def quote(parent: pulumi.Resource | None, name: str, quantity: int = 4) -> OutpostQuote:
    return OutpostQuote(name, opts=ResourceOptions(parent=parent), country_code="US",
                        requested_capacities=[QuoteCapacityArgs(quote_capacity_type="EC2", unit="m5.24xlarge",
                                                                quantity=quantity)],
                        requested_payment_terms=["THREE_YEARS"], outpost_identifier=seed.RACK_OUTPOST_ID)


def optics(name: str, opts: ResourceOptions | None = None, quantity: int = 4) -> AmazonBusinessOrder:
    item = AmazonBusinessLineItemArgs(asin=QSFP.asin, buying_option_id=QSFP.buying_option_id, quantity=quantity,
                                      expected_unit_price=MoneyArgs(QSFP.currency, QSFP.price),
                                      expected_charge=MoneyArgs(QSFP.currency, round(QSFP.price * quantity, 2)))
    return AmazonBusinessOrder(name, opts=opts, line_items=[item], shipping_address=ADDRESS,
                               buyer_email="buyer@example.com", marketplace="US", purchase_order_number="PO-1")


# --- what a customer checks ----------------------------------------------------------------------------------






def placed(emulator: RunningEmulator) -> list[str]:
    """The externalIds of the Amazon Business orders the emulator holds with at least one accepted item."""
    return sorted(o["externalId"] for o in emulator.admin.amazon_business_orders()
                  if any("accepted" in item for item in o["lineItems"]))


def tracked(stack: auto.Stack, type_token: str) -> list[str]:
    return sorted(r["id"] for r in resources(stack, type_token))


def by_urn(stack: auto.Stack, type_token: str) -> dict[str, dict[str, Any]]:
    return {r["urn"]: r for r in resources(stack, type_token)}


def ab_project(tmp_path: Path, emulator: RunningEmulator, name: str) -> Project:
    project = new_project(tmp_path, emulator, name=name)
    project.env.update(amazon_business_env(emulator.endpoint))
    return project


# --- 1: components, and components inside components --------------------------------------------------------
def nested_sites() -> None:
    """Each kind of resource directly in a component and in a component inside it (names repeated on purpose:
    the URNs differ by the parents' types)."""
    outer = Site("campus")
    inner = Site("building", ResourceOptions(parent=outer))
    for parent, quantity in ((outer, 1), (inner, 2)):
        rack(parent, "rack", quantity)
        quote(parent, "expansion", quantity * 4)
        optics("optics", ResourceOptions(parent=parent), quantity * 4)


def test_every_resource_works_in_a_component_and_in_a_nested_component(
    tmp_path: Path, emulator: RunningEmulator
) -> None:
    stack = ab_project(tmp_path, emulator, "nested").stack(nested_sites)
    stack.up()  # default engine settings: no dependency cycle through the parent components
    deployment = stack.export_stack().deployment or {}
    parents = {r["urn"]: r.get("parent", "") for r in deployment.get("resources") or []}
    kinds = (ORDER_TYPE, QUOTE_TYPE, AMAZON_BUSINESS_TYPE)
    for kind in kinds:
        urns = sorted(by_urn(stack, kind))
        assert len(urns) == 2, kind
        assert sorted(parents[urn].rsplit("::", 1)[1] for urn in urns) == ["building", "campus"], kind
    orders, quotes, optics_orders = (tracked(stack, kind) for kind in kinds)
    assert len(set(orders)) == 2 and live(emulator) == orders  # one live order per OutpostOrder
    assert len(set(quotes)) == 2 and all(q.startswith("oq-") for q in quotes)
    assert len(set(optics_orders)) == 2 and placed(emulator) == optics_orders
    keys = {r["outputs"]["order_key"]: urn for urn, r in by_urn(stack, AMAZON_BUSINESS_TYPE).items()}
    assert keys == {f"organization/{urn}": urn for urn in keys.values()}  # `organization/` and its own URN

    assert set(stack.preview().change_summary) == {"same"}  # the keys are the same on the next run
    stack.refresh()
    assert [tracked(stack, kind) for kind in kinds] == [orders, quotes, optics_orders]
    assert live(emulator) == orders and placed(emulator) == optics_orders

    destroyed = stack.destroy()
    assert "was NOT cancelled" in destroyed.stdout + destroyed.stderr
    assert [tracked(stack, kind) for kind in kinds] == [[], [], []]
    assert {order_id: statuses(emulator)[order_id] for order_id in orders} == dict.fromkeys(orders, "CANCELLED")
    assert live(emulator) == [] and placed(emulator) == optics_orders  # forgotten: Amazon has no cancel


# --- 2: separators --------------------------------------------------------------------------------------------
def slashed() -> None:
    """Component ``a`` with children ``b/c``, component ``a/b`` with children ``c``: identical contents."""
    a, a_b = Site("a"), Site("a/b")
    for parent, name in ((a, "b/c"), (a_b, "c")):
        rack(parent, name)
        optics(name, ResourceOptions(parent=parent))


def test_keys_cannot_collide_through_separators(tmp_path: Path, emulator: RunningEmulator) -> None:
    stack = ab_project(tmp_path, emulator, "slashes").stack(slashed)
    stack.up()
    states = list(by_urn(stack, AMAZON_BUSINESS_TYPE).values())
    assert len(states) == 2
    externals = sorted(r["outputs"]["external_id"] for r in states)
    assert externals[0] != externals[1] and externals == sorted(r["id"] for r in states)
    assert placed(emulator) == externals  # two orders, each tracked once
    assert len({r["outputs"]["order_key"] for r in states}) == 2
    orders = tracked(stack, ORDER_TYPE)  # the second identical order waited for the first, then was placed
    assert len(set(orders)) == 2 and live(emulator) == orders


# --- 3: renames and moves keep the externalId -------------------------------------------------------------------
def original() -> None:
    optics("optics")


def renamed() -> None:
    optics("optics-renamed", ResourceOptions(aliases=[pulumi.Alias(name="optics")]))


def moved() -> None:
    site = Site("site")
    optics("optics-moved", ResourceOptions(parent=site,
                                           aliases=[pulumi.Alias(name="optics", parent=pulumi.ROOT_STACK_RESOURCE)]))


@pytest.mark.parametrize("declared_again", [renamed, moved], ids=["renamed-by-alias", "moved-into-a-component"])
def test_a_renamed_or_moved_order_then_replaced_keeps_its_one_order(
    tmp_path: Path, emulator: RunningEmulator, declared_again: Callable[[], None]
) -> None:
    stack = ab_project(tmp_path, emulator, "renames").stack(original)
    stack.up()
    [before] = resources(stack, AMAZON_BUSINESS_TYPE)
    assert placed(emulator) == [before["id"]]

    stack.up(program=declared_again)
    [after] = resources(stack, AMAZON_BUSINESS_TYPE)
    assert after["urn"] != before["urn"]
    assert (after["id"], after["outputs"]["external_id"]) == (before["id"], before["outputs"]["external_id"])
    assert placed(emulator) == [before["id"]]

    emulator.admin.reset_calls()
    stack.up(program=declared_again, replace=[after["urn"]])  # nothing changed: the same order comes back
    [replaced] = resources(stack, AMAZON_BUSINESS_TYPE)
    assert (replaced["id"], replaced["outputs"]["external_id"]) == (before["id"], before["outputs"]["external_id"])
    assert placed(emulator) == [before["id"]]
    calls = emulator.admin.calls()
    assert (calls.get("placeOrder", 0), calls.get("orderDetails")) == (0, 1)  # found by its externalId, not placed
