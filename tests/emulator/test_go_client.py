"""A second, independent client with quotes: the AWS SDK for Go v2 (``service/outposts`` v1.74.12).

``tests/go/main.go`` runs the flows (an order from a seeded quote's option, CreateQuote → GetQuote →
UpdateQuote → ListQuotes → DeleteQuote, a FIVE_YEARS line-item order, ListOrders with the SDK's
paginator at MaxResults 1, cancel, the typed ValidationException, NotFoundException and
ConflictException, GetRenewalPricing → CreateRenewal twice with one ClientToken →
GetOutpostBillingInformation page by page, and StartOutpostDecommission with and without ValidateOnly)
with the SDK's own serializers, parsers, paginators and error types, configured
only through the environment (``AWS_ENDPOINT_URL_OUTPOSTS``/``AWS_ENDPOINT_URL_STS``, credentials,
region). This test builds it (``scripts/provision_go_client.py``: ``go build`` into a cache outside
the clone, modules from the Go module proxy), runs it against a fresh emulator, and checks what it saw
against what boto3 reads from the same emulator afterwards.
"""

from __future__ import annotations

import datetime
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pulumi_outposts_orders.emulator.outposts import seed
from pulumi_outposts_orders.emulator.testing import RunningEmulator, boto3_env

from .conftest import client_of, provisioned

FLOWS = ("model", "caller", "quoteOrder", "quoteLifecycle", "lineItemOrder", "pagination", "cancel", "errors",
         "renewals", "decommission")


@pytest.fixture(scope="module")
def binary(pytestconfig: pytest.Config) -> Path:
    """The built client (built on first use; progress shown even under output capture)."""
    return provisioned(pytestconfig, "provision_go_client")


@pytest.fixture(scope="module")
def go_run(binary: Path) -> Iterator[tuple[dict[str, dict[str, Any]], Any]]:
    """What each Go flow saw against a fresh emulator, and a boto3 client of that emulator."""
    with RunningEmulator() as running:
        env = {**boto3_env(running.endpoint), "RACK_OUTPOST_ID": seed.RACK_OUTPOST_ID,
               "SERVER_OUTPOST_ID": seed.SERVER_OUTPOST_ID, "RACK_CATALOG_ITEM_ID": seed.RACK_CATALOG_ITEM_ID,
               "QUOTE_ID": seed.QUOTE_ID}
        done = subprocess.run([str(binary)], env=env, capture_output=True, text=True, timeout=120)
        lines = [json.loads(line) for line in done.stdout.splitlines()]
        assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
        yield {line.pop("flow"): line for line in lines}, client_of(running)


@pytest.fixture(scope="module")
def flows(go_run: tuple[dict[str, dict[str, Any]], Any]) -> dict[str, dict[str, Any]]:
    """What each Go flow saw, by flow name."""
    return go_run[0]


@pytest.fixture(scope="module")
def boto3_client(go_run: tuple[dict[str, dict[str, Any]], Any]) -> Any:
    """A boto3 Outposts client of the emulator the Go flows ran against."""
    return go_run[1]


def test_every_flow_printed_one_line(flows: dict[str, dict[str, Any]]) -> None:
    assert tuple(flows) == FLOWS


def test_the_pinned_sdk_has_the_2026_quote_update(flows: dict[str, dict[str, Any]]) -> None:
    model = flows["model"]
    assert model["version"] == "v1.74.12"
    assert "FIVE_YEARS" in model["paymentTerms"] and "ORDER_SUBMITTED" in model["quoteStatuses"]


def test_sts_answers_through_its_endpoint_variable(flows: dict[str, dict[str, Any]]) -> None:
    assert flows["caller"]["account"] == seed.ACCOUNT_ID


def test_an_order_from_a_quote_option(flows: dict[str, dict[str, Any]], boto3_client: Any) -> None:
    seen = flows["quoteOrder"]
    assert (seen["quoteId"], seen["statusBefore"], seen["optionCount"]) == (seed.QUOTE_ID, "CREATED", 2)
    assert seen["optionId"] in seed.QUOTE_OPTION_IDS
    assert (seen["orderQuoteId"], seen["orderQuoteOption"]) == (seed.QUOTE_ID, seen["optionId"])
    assert (seen["orderPayment"], seen["orderTerm"], seen["orderStatus"]) == ("PARTIAL_UPFRONT", "FIVE_YEARS",
                                                                             "PREPARING")
    assert seen["orderLineItems"] == seen["optionRacks"] >= 1
    order = boto3_client.get_order(OrderId=seen["orderId"])["Order"]
    assert (order["QuoteIdentifier"], order["QuoteOptionIdentifier"]) == (seed.QUOTE_ID, seen["optionId"])
    assert (order["PaymentOption"], order["PaymentTerm"]) == ("PARTIAL_UPFRONT", "FIVE_YEARS")


def test_the_price_go_read_is_the_price_boto3_reads(flows: dict[str, dict[str, Any]], boto3_client: Any) -> None:
    seen = flows["quoteOrder"]
    option = next(o for o in boto3_client.get_quote(QuoteIdentifier=seed.QUOTE_ID)["Quote"]["QuoteOptions"]
                  if o["QuoteOptionIdentifier"] == seen["optionId"])
    price = next(p["SubscriptionPricingDetails"] for p in option["PricingOptions"]
                 if (p["SubscriptionPricingDetails"]["PaymentOption"], p["SubscriptionPricingDetails"]["PaymentTerm"])
                 == ("PARTIAL_UPFRONT", "FIVE_YEARS"))
    assert seen["currency"] == price["Currency"]
    assert seen["upfrontPrice"] == pytest.approx(price["UpfrontPrice"], rel=1e-6)  # a float32 in Go
    assert seen["monthlyPrice"] == pytest.approx(price["MonthlyRecurringPrice"], rel=1e-6)


def test_the_ordered_quote_is_order_submitted(flows: dict[str, dict[str, Any]], boto3_client: Any) -> None:
    seen = flows["quoteOrder"]
    assert (seen["statusAfter"], seen["submittedOrderId"]) == ("ORDER_SUBMITTED", seen["orderId"])
    quote = boto3_client.get_quote(QuoteIdentifier=seed.QUOTE_ID)["Quote"]
    assert (quote["QuoteStatus"], quote["SubmittedOrderId"]) == ("ORDER_SUBMITTED", seen["orderId"])


def test_ordering_a_quote_twice_is_a_typed_conflict(flows: dict[str, dict[str, Any]], boto3_client: Any) -> None:
    again = flows["quoteOrder"]["orderedAgainError"]
    assert (again["goType"], again.get("code"), again.get("httpStatus")) == ("*types.ConflictException",
                                                                             "ConflictException", 409), again
    assert again["resourceId"] == seed.QUOTE_ID and flows["quoteOrder"]["orderId"] in again["message"]
    on_rack = boto3_client.list_orders(OutpostIdentifierFilter=seed.RACK_OUTPOST_ID)["Orders"]
    assert len(on_rack) == len(flows["pagination"]["placed"])  # the refused CreateOrder placed nothing


def test_a_quote_created_updated_listed_and_deleted(flows: dict[str, dict[str, Any]], boto3_client: Any) -> None:
    seen = flows["quoteLifecycle"]
    assert seen["createdStatus"] == "CREATED" and seen["expiresAfterCreate"]
    assert seen["createdOutpostArn"].endswith(f":{seed.ACCOUNT_ID}:outpost/{seed.RACK_OUTPOST_ID}")
    assert seen["createdTerms"] == ["FIVE_YEARS"] and len(seen["createdOptions"]) == 2
    assert seen["getSameOptions"] and seen["getDescription"] == "from Go"
    assert seen["updatedDescription"] == "from Go, updated"
    assert seen["updatedTerms"] == ["ONE_YEAR", "FIVE_YEARS"]
    assert len(seen["updatedOptions"]) == 2 and not set(seen["updatedOptions"]) & set(seen["createdOptions"])
    assert seen["listed"] == [seed.QUOTE_ID, seed.EXPIRED_QUOTE_ID, seen["quoteId"]]
    assert seen["listPages"] == len(seen["listed"])  # MaxResults 1
    gone = seen["getAfterDelete"]
    assert (gone["goType"], gone["code"], gone["httpStatus"]) == ("*types.NotFoundException", "NotFoundException",
                                                                  404)
    assert seen["quoteId"] not in {q["QuoteId"] for q in boto3_client.list_quotes()["Quotes"]}


def test_a_five_years_line_item_order(flows: dict[str, dict[str, Any]], boto3_client: Any) -> None:
    seen = flows["lineItemOrder"]
    assert seen["sameOnGet"] and seen["orderId"].startswith("oo-") and seen["outpostId"] == seed.RACK_OUTPOST_ID
    assert (seen["status"], seen["payment"], seen["term"]) == ("PREPARING", "ALL_UPFRONT", "FIVE_YEARS")
    [item] = seen["lineItems"]
    assert (item["catalogItemId"], item["quantity"], item["status"]) == (seed.RACK_CATALOG_ITEM_ID, 2, "PREPARING")
    order = boto3_client.get_order(OrderId=seen["orderId"])["Order"]
    assert order["PaymentTerm"] == "FIVE_YEARS" and order["LineItems"][0]["LineItemId"] == item["lineItemId"]
    submitted = datetime.datetime.fromisoformat(seen["submittedAt"].replace("Z", "+00:00"))
    assert abs((submitted - order["OrderSubmissionDate"]).total_seconds()) <= 0.001


def test_the_sdk_paginator_walks_every_page(flows: dict[str, dict[str, Any]], boto3_client: Any) -> None:
    pages, placed = flows["pagination"]["pages"], flows["pagination"]["placed"]
    assert len(placed) == 4 and all(len(page) == 1 for page in pages)
    assert [order for page in pages for order in page] == placed
    listed = boto3_client.list_orders(OutpostIdentifierFilter=seed.RACK_OUTPOST_ID)["Orders"]
    assert [o["OrderId"] for o in listed] == placed


def test_cancel_in_go(flows: dict[str, dict[str, Any]], boto3_client: Any) -> None:
    seen = flows["cancel"]
    assert seen["orderId"] == flows["lineItemOrder"]["orderId"]
    assert (seen["status"], seen["lineItems"]) == ("CANCELLED", ["CANCELLED"])
    assert boto3_client.get_order(OrderId=seen["orderId"])["Order"]["Status"] == "CANCELLED"


@pytest.mark.parametrize(("name", "status"),
                         [("ValidationException", 400), ("NotFoundException", 404), ("ConflictException", 409)])
def test_each_error_reaches_go_as_its_type(flows: dict[str, dict[str, Any]], name: str, status: int) -> None:
    error = flows["errors"][name]
    assert error["raised"] and (error["goType"], error["code"], error["httpStatus"]) == (f"*types.{name}", name,
                                                                                       status)
    assert error["fault"] == "client" and error["message"]


def test_a_conflict_names_the_order(flows: dict[str, dict[str, Any]]) -> None:
    conflict = flows["errors"]["ConflictException"]
    assert (conflict["resourceId"], conflict["resourceType"]) == (flows["cancel"]["orderId"], "ORDER")


def test_a_float32_overflow_is_refused_naming_the_member(flows: dict[str, dict[str, Any]]) -> None:
    overflow = flows["errors"]["floatOverflow"]
    assert overflow["goType"] == "*types.ValidationException" and overflow["httpStatus"] == 400
    assert "RequestedCapacities[0].Quantity" in overflow["message"]


def test_a_renewal_created_twice_with_one_client_token(flows: dict[str, dict[str, Any]], boto3_client: Any) -> None:
    seen = flows["renewals"]
    assert (seen["pricingResult"], seen["options"]) == ("PRICED", 9)
    expected = {"outpostId": seed.SERVER_OUTPOST_ID, "option": "PARTIAL_UPFRONT", "term": "THREE_YEARS",
                "currency": "USD", **seen["offered"]}
    assert seen["created"] == seen["again"] == expected
    info = boto3_client.get_outpost_billing_information(OutpostIdentifier=seed.SERVER_OUTPOST_ID)
    renewals = [s for s in info["Subscriptions"] if s["SubscriptionType"] == "RENEWAL"]
    assert len(renewals) == 1 and renewals[0]["UpfrontPrice"] == pytest.approx(seen["offered"]["upfront"], rel=1e-6)


def test_the_sdk_paginator_walks_the_billing_information(flows: dict[str, dict[str, Any]],
                                                         boto3_client: Any) -> None:
    seen = flows["renewals"]
    assert all(len(page) == 1 for page in seen["pages"])
    original, renewal = (page[0] for page in seen["pages"])
    info = boto3_client.get_outpost_billing_information(OutpostIdentifier=seed.SERVER_OUTPOST_ID)
    assert [s["SubscriptionId"] for s in info["Subscriptions"]] == [original["id"], renewal["id"]]
    assert (original["type"], original["status"], renewal["type"], renewal["status"]) == (
        "ORIGINAL", "ACTIVE", "RENEWAL", "PENDING")
    assert renewal["begin"] == original["end"]
    assert renewal["upfront"] == pytest.approx(seen["offered"]["upfront"], rel=1e-6)  # a float32 in the answer
    assert seen["contract"] == {"endDate": info["ContractEndDate"], "term": "THREE_YEARS", "option": "ALL_UPFRONT"}
    assert original["end"].startswith(info["ContractEndDate"])


def test_decommission_validation_in_go(flows: dict[str, dict[str, Any]]) -> None:
    seen = flows["decommission"]
    assert (seen["status"], seen["blocking"]) == ("BLOCKED", ["OUTPOST_ORDER_CANCELLABLE"])
    refused = seen["withoutValidateOnly"]
    assert (refused["goType"], refused["httpStatus"]) == ("*types.ValidationException", 400)
    assert "only validates" in refused["message"]
