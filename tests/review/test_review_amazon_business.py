"""Review rows of AmazonBusinessOrder changes, from preview steps in the engine's JSON form.

The review reads only the preview: no Amazon Business call (and no AWS look-up for these rows), unless asked
for Amazon's trial (``--amazon-trial``): then each order to be placed is sent to the emulator in TrialMode.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from ab_process import new_provider_process
from no_lookups import NoLookups
from pulumi.runtime.rpc import UNKNOWN

from pulumi_outposts_orders._tokens import AMAZON_BUSINESS_TYPE
from pulumi_outposts_orders.emulator import amazon_business as ab
from pulumi_outposts_orders.emulator.testing import RunningEmulator
from pulumi_outposts_orders.review import (
    EXIT_NO_PRICE,
    EXIT_OK,
    EXIT_REPLACE,
    EXIT_TRIAL_REFUSED,
    render,
    review,
    verdict,
)

URN = f"urn:pulumi:dev::site::{AMAZON_BUSINESS_TYPE}::optics"
OLD_ID = "pulumi-93ec22b7ee31429050aab0ce076058c6b6b24818c13a49f4"
NO_CANCEL = "cannot be cancelled: the existing order continues"


def line(asin: str, quantity: int, unit: float | None = None, charge: float | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"asin": asin, "buying_option_id": "bo-1", "quantity": quantity}
    if unit is not None:
        found["expected_unit_price"] = {"currency": "USD", "amount": unit}
    if charge is not None:
        found["expected_charge"] = {"currency": "USD", "amount": charge}
    return found


def inputs(*lines: dict[str, Any]) -> dict[str, Any]:
    return {"__provider": "gASVpickle", "line_items": list(lines), "buyer_email": "ops@example.com", "region": "US",
            "purchase_order_number": "PO-7", "shipping_address": {"city": "Seattle"}}


OPTICS = line("B07QSFP28A", 8, unit=129.0, charge=1032.0)
FIBRE = line("B08MPOFIB1", 4, unit=58.5)


def placed(*lines: dict[str, Any]) -> dict[str, Any]:
    """The state of an order placed (ORDERED) from ``lines``."""
    results = [{"external_id": f"line-item-{i}", "accepted_quantity": item["quantity"],
                "order_identifier": f"114-000000{i}-1234567"} for i, item in enumerate(lines, 1)]
    outputs = {**inputs(*lines), "external_id": OLD_ID, "delivery_status": "ORDERED", "line_item_results": results}
    return {"urn": URN, "type": AMAZON_BUSINESS_TYPE, "id": OLD_ID, "inputs": inputs(*lines), "outputs": outputs}


def declared(*lines: dict[str, Any]) -> dict[str, Any]:
    return {"urn": URN, "type": AMAZON_BUSINESS_TYPE, "inputs": inputs(*lines)}


def comment(*steps: dict[str, Any]) -> tuple[str, Any]:
    found = review({"steps": list(steps)}, NoLookups())
    return render(found), found


def table_row(text: str) -> str:
    return next(row for row in text.splitlines() if "Amazon Business order `optics`" in row)


def test_a_new_order_shows_items_expected_prices_total_and_that_they_are_what_is_approved() -> None:
    text, found = comment({"op": "create", "urn": URN, "newState": declared(OPTICS, FIBRE)})
    assert "Amazon Business orders: 1 create." in text
    assert table_row(text) == (
        "| create | Amazon Business order `optics` | US marketplace | B07QSFP28A x8, B08MPOFIB1 x4 | buyer "
        "ops@example.com, PO PO-7 | B07QSFP28A: $129.00 each, $1,032.00 in all<br>B08MPOFIB1: $58.50 each | — | "
        "none | $1,266.00 (expected, one purchase) |")
    assert "📝 **ORDER `optics`**" in text and "cannot be cancelled from Pulumi" in text
    assert "they are what this change approves. The review makes no Amazon Business call" in text
    assert "gASV" not in text and "__provider" not in text
    assert verdict(found, fail_on_replace=True, require_prices=True).status == EXIT_OK


def test_a_destroy_says_loudly_that_nothing_is_cancelled() -> None:
    text, found = comment({"op": "delete", "urn": URN, "oldState": placed(OPTICS)})
    assert table_row(text).startswith("| **DESTROY: NOT cancelled** | Amazon Business order `optics` |")
    assert "Amazon Business orders: 1 forget (not cancelled)." in text
    assert (f"🛑 **DESTROY `optics`: Amazon Business order {OLD_ID} (Amazon order 114-0000001-1234567), ORDERED at "
            f"the last refresh, {NO_CANCEL}.**") in text
    assert "**CANCEL" not in text
    assert verdict(found).status == EXIT_OK


@pytest.mark.parametrize("ops", [("create-replacement", "delete-replaced"), ("delete-replaced", "create-replacement"),
                                 ("replace",)])
def test_a_replacement_places_a_new_order_and_the_old_one_continues(ops: tuple[str, ...]) -> None:
    """Create-before-delete or delete-before-replace, the same one row."""
    old, new = placed(OPTICS), declared(line("B07QSFP28A", 16, unit=129.0, charge=2064.0))
    steps = [{"op": op, "urn": URN, "oldState": old, **({} if op == "delete-replaced" else {"newState": new}),
              "replaceReasons": ["line_items"]} for op in ops]
    text, found = comment(*steps)
    assert table_row(text).startswith(
        "| **REPLACE: NEW order, old one continues** | Amazon Business order `optics` | US marketplace | "
        "B07QSFP28A x16 (was B07QSFP28A x8) |")
    assert "$2,064.00 (expected, one purchase)" in table_row(text)
    assert (f"🛑 **REPLACE `optics` places a NEW Amazon Business order; order {OLD_ID} (Amazon order "
            f"114-0000001-1234567), ORDERED at the last refresh, {NO_CANCEL}.** Both are delivered and charged "
            "(changed: line_items).") in text
    decided = verdict(found, fail_on_replace=True)
    assert (decided.status, decided.reason) == (EXIT_REPLACE, "orders would be replaced: optics")


def test_a_line_without_a_price_or_with_disagreeing_expectations_is_loud() -> None:
    text, found = comment({"op": "create", "urn": URN,
                           "newState": declared(line("B07QSFP28A", 8, unit=129.0, charge=1000.0),
                                                line("B08MPOFIB1", 4))})
    row = table_row(text)
    assert "| ❌ B07QSFP28A: $129.00 each, $1,000.00 in all<br>B08MPOFIB1: not set |" in row
    assert row.endswith("| at least $1,000.00 |")
    assert ("🛑 **EXPECTATIONS DISAGREE `optics`**: line 1 (B07QSFP28A) expects $129.00 x8 = $1,032.00 but a charge "
            "of $1,000.00; Amazon will refuse that line.") in text
    assert "⚠️ **no expected price for `optics`** line 2 (B08MPOFIB1)" in text
    assert verdict(found, require_prices=True).status == EXIT_NO_PRICE


@pytest.fixture
def amazon(monkeypatch: pytest.MonkeyPatch) -> Iterator[RunningEmulator]:
    """The emulator's Amazon Business, with the LWA credentials in the environment (a review job's secrets)."""
    with RunningEmulator() as running:
        new_provider_process(monkeypatch, running.endpoint)
        running.admin.reset_calls()
        yield running


QSFP = ab.SEED_PRODUCTS[0]


def seeded(quantity: int, unit: float) -> dict[str, Any]:
    return {**line(QSFP.asin, quantity, unit=unit), "buying_option_id": QSFP.buying_option_id}


def tried(*lines: dict[str, Any]) -> tuple[str, Any]:
    state = declared(*lines)
    state["inputs"]["shipping_address"] = {"full_name": "Site Ops", "address_line1": "1 Main St", "city": "Seattle",
                                           "postal_code": "98109", "country_code": "US"}
    found = review({"steps": [{"op": "create", "urn": URN, "newState": state}]}, NoLookups(), amazon_trial=True)
    return render(found), found


def test_amazon_trial_says_each_line_would_be_accepted_and_places_nothing(amazon: RunningEmulator) -> None:
    text, found = tried(seeded(4, QSFP.price))
    assert ("📝 **Amazon trial of `optics`**: every line accepted now (nothing placed): subtotal $516.00, tax "
            "$52.89, shipping $0.00, in all $568.89.") in text
    assert verdict(found).status == EXIT_OK
    assert amazon.admin.amazon_business_orders() == []  # nothing placed, nothing kept
    assert {k: v for k, v in amazon.admin.calls().items() if v and k in ab.OPERATIONS} == {
        "lwaToken": 1, "placeOrder": 1}


def test_amazon_trial_refusing_a_moved_price_stops_the_review(amazon: RunningEmulator) -> None:
    text, found = tried(seeded(4, 120.0))  # the program approved $120; Amazon sells at $129 now
    assert "🛑 **AMAZON WOULD REFUSE `optics`** (trial, nothing placed): line item line-item-1: 4 rejected: " \
           "BROKEN_EXPECTATION" in text
    assert table_row(text).count("❌") == 1
    assert verdict(found).status == EXIT_TRIAL_REFUSED
    assert amazon.admin.amazon_business_orders() == []


def test_amazon_trial_without_credentials_or_with_unknown_inputs_only_warns(
        amazon: RunningEmulator, monkeypatch: pytest.MonkeyPatch) -> None:
    unknown = {**seeded(4, QSFP.price), "quantity": UNKNOWN}
    text, found = tried(unknown)
    assert "📝 **Amazon trial of `optics` not run**" in text and verdict(found).status == EXIT_OK
    monkeypatch.delenv("AMAZON_BUSINESS_LWA_REFRESH_TOKEN")
    text, found = tried(seeded(4, QSFP.price))
    assert "⚠️ **Amazon trial of `optics` could not run**: no Amazon Business credentials" in text
    assert verdict(found).status == EXIT_OK
    assert amazon.admin.calls().get("placeOrder", 0) == 0
