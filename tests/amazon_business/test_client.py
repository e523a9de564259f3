"""The Ordering API client against the emulator over HTTP: an expired access token, wrong credentials,
answers that never come. These are what one provider process meets during a long ``pulumi up``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from ab_process import new_provider_process

from pulumi_outposts_orders.amazon_business import client, inputs, results
from pulumi_outposts_orders.emulator import amazon_business as ab
from pulumi_outposts_orders.emulator.testing import RunningEmulator

QSFP = ab.SEED_PRODUCTS[0]
BUYER = "buyer@example.com"
PROPS: dict[str, Any] = {
    "line_items": [{"asin": QSFP.asin, "buying_option_id": QSFP.buying_option_id, "quantity": 2}],
    "shipping_address": {"full_name": "Site Ops", "address_line1": "1 Main St", "city": "Seattle",
                         "postal_code": "98109", "country_code": "US"},
    "buyer_email": BUYER, "marketplace": "US",
}


@pytest.fixture
def emulator(monkeypatch: pytest.MonkeyPatch) -> Iterator[RunningEmulator]:
    with RunningEmulator() as running:
        new_provider_process(monkeypatch, running.endpoint)
        running.admin.reset_calls()
        yield running


def counts(emulator: RunningEmulator) -> dict[str, int]:
    return {k: v for k, v in emulator.admin.calls().items() if v and k.split(".")[0] in ab.OPERATIONS}


def test_an_expired_access_token_is_refreshed_and_the_call_succeeds(emulator: RunningEmulator) -> None:
    external = inputs.external_id("org/project/stack/optics", 1)
    placed = client.place_order("US", inputs.place_request(PROPS, external), BUYER)
    assert not placed.existed
    emulator.admin.expire_lwa_tokens()  # an hour later, as far as LWA knows
    details = client.order_details("US", external, BUYER)
    assert [line["externalId"] for line in details["lineItems"]] == ["line-item-1"]
    # orderDetails before placeOrder (404: no such order yet), then after expiry: one 403, then the answer
    assert counts(emulator) == {"lwaToken": 2, "placeOrder": 1, "orderDetails": 3}


def test_refused_credentials_are_named_but_never_shown(emulator: RunningEmulator,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AMAZON_BUSINESS_LWA_REFRESH_TOKEN", "Atzr|revoked-refresh-token")
    with pytest.raises(client.AmazonBusinessError) as refused:
        client.order_details("US", "pulumi-anything", BUYER)
    assert "Login with Amazon refused the credentials" in str(refused.value)
    assert "invalid_grant" in str(refused.value)
    for secret in ("revoked-refresh-token", ab.LWA_CLIENT_SECRET):
        assert secret not in str(refused.value)
    assert "orderDetails" not in counts(emulator)


def test_an_answer_that_never_comes_is_an_unknown_outcome(emulator: RunningEmulator) -> None:
    emulator.admin.set_faults({"orderDetails": {"error_rate": 1.0}})
    with pytest.raises(client.AmazonBusinessError) as failed:
        client.order_details("US", "pulumi-anything", BUYER)
    assert failed.value.status == 500
    assert counts(emulator)["orderDetails"] == client.UNKNOWN_ATTEMPTS


def test_each_api_region_has_its_own_login(emulator: RunningEmulator) -> None:
    eu_product = next(p for p in ab.SEED_PRODUCTS if p.currency == "EUR")
    german = {**PROPS, "marketplace": "DE", "line_items": [
        {"asin": eu_product.asin, "buying_option_id": eu_product.buying_option_id, "quantity": 1}]}
    for props, key in ((PROPS, "us-optics"), (german, "de-optics"), (PROPS, "us-fibre")):
        external = inputs.external_id(f"org/project/stack/{key}", 1)
        client.place_order(str(props["marketplace"]), inputs.place_request(props, external), BUYER)
    # one token for NA, one for EU; each order looked for by its externalId before it is placed
    assert counts(emulator) == {"lwaToken": 2, "placeOrder": 3, "orderDetails": 3}


def test_a_regional_refresh_token_wins_for_that_region_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(client, "_CONFIG", {})
    environ = {"AMAZON_BUSINESS_LWA_CLIENT_ID": "app", "AMAZON_BUSINESS_LWA_CLIENT_SECRET": "secret",
               "AMAZON_BUSINESS_LWA_REFRESH_TOKEN": "Atzr|north-america",
               "AMAZON_BUSINESS_LWA_REFRESH_TOKEN_EU": "Atzr|europe"}
    assert client.credentials("eu", environ).refresh_token == "Atzr|europe"
    assert client.credentials("eu", {**environ, "AMAZON_BUSINESS_LWA_REFRESH_TOKEN_UK": "Atzr|uk"},
                              store="UK").refresh_token == "Atzr|uk"  # a store's own token wins
    assert client.credentials("eu", environ, store="DE").refresh_token == "Atzr|europe"  # else the region's
    assert client.credentials("na", environ).refresh_token == "Atzr|north-america"
    client.configure({"outposts-orders:lwaRefreshTokenFe": "Atzr|far-east"}.get)  # a stack config secret
    assert client.credentials("fe", environ).refresh_token == "Atzr|far-east"
    assert client.credentials("eu", environ).refresh_token == "Atzr|europe"
    with pytest.raises(client.AmazonBusinessError, match="for the EU region: set outposts-orders:lwaRefreshToken"):
        client.credentials("eu", {k: v for k, v in environ.items() if "REFRESH" not in k})


def test_orders_go_to_their_region_s_hosts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(client.ENDPOINT_VARIABLE, raising=False)
    monkeypatch.delenv(client.LWA_ENDPOINT_VARIABLE, raising=False)
    groups = [client.api_region(marketplace) for marketplace in ("US", "DE", "JP")]
    assert [(client.base_url(group), client.lwa_url(group)) for group in groups] == [
        ("https://na.business-api.amazon.com", "https://api.amazon.com/auth/o2/token"),
        ("https://eu.business-api.amazon.com", "https://api.amazon.co.uk/auth/o2/token"),
        ("https://jp.business-api.amazon.com", "https://api.amazon.co.jp/auth/o2/token"),
    ]
    with pytest.raises(ValueError, match="marketplace 'ZZ' is not an Amazon Business marketplace"):
        client.api_region("ZZ")


def placed_order_ids(external: str, purchase_order: str | None) -> set[str]:
    request = inputs.place_request({**PROPS, **({"purchase_order_number": purchase_order} if purchase_order else {})},
                                   external)
    result = client.place_order("US", request, BUYER).result
    return {str(row["order_identifier"]) for row in results.line_results(result)}


@pytest.mark.parametrize("purchase_order", ["PO-SHARED", None])
def test_one_refresh_reads_an_order_report_once_for_every_order_in_it(
        emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch, purchase_order: str | None) -> None:
    """Orders sharing a PO number (or placed the same day) are in one report: the first resource reads it, the
    others of the same provider process are answered from it; past REPORT_REUSE_S it is read again."""
    orders = [placed_order_ids(f"shared-report-{n}", purchase_order) for n in range(3)]
    operation = "getOrderReportsByPurchaseOrderNumber" if purchase_order else "getOrderReports"
    placed_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    emulator.admin.reset_calls()
    for ids in orders:
        found = client.order_reports("US", ids, purchase_order, placed_at)
        assert {order_id: report["orderStatus"] for order_id, report in found.items()} == dict.fromkeys(
            ids, "PENDING_FULFILLMENT")
    assert counts(emulator) == {operation: 1}
    monkeypatch.setattr(client, "REPORT_REUSE_S", 0.0)
    client.order_reports("US", orders[0], purchase_order, placed_at)
    assert counts(emulator) == {operation: 2}

