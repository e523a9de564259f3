"""Orders through unmodified boto3: CreateOrder rules, GetOrder, ListOrders, CancelOrder."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.config import Config

from pulumi_outposts_orders.emulator.outposts import seed
from pulumi_outposts_orders.emulator.testing import RunningEmulator

from .conftest import client_of
from .helpers import error_of, order

RACK_ITEM = seed.RACK_CATALOG_ITEM_ID
UNVALIDATED = Config(parameter_validation=False, retries={"total_max_attempts": 1})
"""botocore's own client-side validation off, so the emulator's validation is what answers."""
ARN = f"arn:aws:outposts:us-east-1:{seed.ACCOUNT_ID}:outpost/{seed.RACK_OUTPOST_ID}"


def test_create_order_from_line_items(outposts: Any) -> None:
    created = order(outposts, quantity=2)
    assert created["OrderId"].startswith("oo-") and len(created["OrderId"]) == 20
    assert created["Status"] == "PREPARING"
    assert created["OutpostId"] == seed.RACK_OUTPOST_ID
    assert created["PaymentTerm"] == "THREE_YEARS" and created["OrderType"] == "OUTPOST"
    (item,) = created["LineItems"]
    assert item["CatalogItemId"] == seed.RACK_CATALOG_ITEM_ID and item["Quantity"] == 2
    assert item["Status"] == "PREPARING" and item["LineItemId"].startswith("ooi-")
    assert created["OrderSubmissionDate"].year >= 2024


def test_create_order_accepts_an_outpost_arn_and_server_hardware(outposts: Any) -> None:
    assert order(outposts, outpost=ARN)["OutpostId"] == seed.RACK_OUTPOST_ID
    server = order(outposts, outpost=seed.SERVER_OUTPOST_ID, item=seed.SERVER_CATALOG_ITEM_ID)
    assert server["OutpostId"] == seed.SERVER_OUTPOST_ID


def test_get_order_returns_what_create_returned(outposts: Any) -> None:
    created = order(outposts)
    assert outposts.get_order(OrderId=created["OrderId"])["Order"] == created


def test_list_orders_filters_by_outpost_id_or_arn_with_summary_fields(outposts: Any) -> None:
    server = order(outposts, outpost=seed.SERVER_OUTPOST_ID, item=seed.SERVER_CATALOG_ITEM_ID)
    rack = order(outposts)
    by_id = _all_orders(outposts, OutpostIdentifierFilter=seed.SERVER_OUTPOST_ID)
    assert server["OrderId"] in by_id and rack["OrderId"] not in by_id
    by_arn = _all_orders(outposts, OutpostIdentifierFilter=ARN)
    assert rack["OrderId"] in by_arn and server["OrderId"] not in by_arn
    summary = by_arn[rack["OrderId"]]
    assert summary["Status"] == "PREPARING" and summary["OrderType"] == "OUTPOST"
    assert summary["LineItemCountsByStatus"] == {"PREPARING": 1}
    assert summary["OrderSubmissionDate"] == rack["OrderSubmissionDate"]


def test_list_orders_pages_with_max_results_and_next_token(outposts: Any) -> None:
    created = {order(outposts, outpost=seed.SERVER_OUTPOST_ID, item=seed.SERVER_CATALOG_ITEM_ID)["OrderId"]
               for _ in range(5)}
    first = outposts.list_orders(OutpostIdentifierFilter=seed.SERVER_OUTPOST_ID, MaxResults=2)
    assert len(first["Orders"]) == 2 and "NextToken" in first
    pages = outposts.get_paginator("list_orders").paginate(OutpostIdentifierFilter=seed.SERVER_OUTPOST_ID,
                                                           PaginationConfig={"PageSize": 2})
    sizes, seen = [], []
    for page in pages:
        sizes.append(len(page["Orders"]))
        seen += [o["OrderId"] for o in page["Orders"]]
    assert len(sizes) >= 3 and max(sizes) == 2
    assert created <= set(seen) and len(seen) == len(set(seen))


def test_a_next_token_of_another_filter_is_refused(outposts: Any) -> None:
    for _ in range(2):
        order(outposts)
    token = outposts.list_orders(MaxResults=1)["NextToken"]
    error = error_of(outposts.list_orders, NextToken=token, OutpostIdentifierFilter=seed.SERVER_OUTPOST_ID)
    assert error["Code"] == "ValidationException" and "NextToken" in error["Message"]


def test_cancel_a_preparing_order(outposts: Any) -> None:
    created = order(outposts)
    outposts.cancel_order(OrderId=created["OrderId"])
    cancelled = outposts.get_order(OrderId=created["OrderId"])["Order"]
    assert cancelled["Status"] == "CANCELLED"
    assert {i["Status"] for i in cancelled["LineItems"]} == {"CANCELLED"}


def test_cancelling_an_order_that_is_no_longer_preparing_is_a_conflict(outposts: Any, live: RunningEmulator) -> None:
    created = order(outposts)
    live.admin.force_order_status(created["OrderId"], "IN_PROGRESS")
    error = error_of(outposts.cancel_order, OrderId=created["OrderId"])
    assert (error["Code"], error["HTTPStatusCode"]) == ("ConflictException", 409)
    assert "IN_PROGRESS" in error["Message"]
    assert outposts.get_order(OrderId=created["OrderId"])["Order"]["Status"] == "IN_PROGRESS"


def test_cancelling_twice_is_a_conflict(outposts: Any) -> None:
    created = order(outposts)
    outposts.cancel_order(OrderId=created["OrderId"])
    assert error_of(outposts.cancel_order, OrderId=created["OrderId"])["Code"] == "ConflictException"


@pytest.mark.parametrize(
    ("params", "member", "rule"),
    [
        ({"OutpostIdentifier": "op-123"}, "OutpostIdentifier", "[pattern]"),
        ({"PaymentTerm": "TEN_YEARS"}, "PaymentTerm", "[enum]"),
        ({"LineItems": [{"CatalogItemId": RACK_ITEM, "Quantity": 0}]}, "LineItems[0].Quantity", "[min]"),
        ({"LineItems": [{"CatalogItemId": RACK_ITEM, "Quantity": 1}] * 21}, "LineItems", "[max-items]"),
    ],
)
def test_model_violations_are_validation_errors_naming_member_and_rule(
    live: RunningEmulator, params: dict[str, Any], member: str, rule: str
) -> None:
    client = client_of(live, UNVALIDATED)
    request = {"OutpostIdentifier": seed.RACK_OUTPOST_ID, "PaymentOption": "ALL_UPFRONT",
               "LineItems": [{"CatalogItemId": seed.RACK_CATALOG_ITEM_ID, "Quantity": 1}], **params}
    error = error_of(client.create_order, **request)
    assert (error["Code"], error["HTTPStatusCode"]) == ("ValidationException", 400)
    assert member in error["Message"] and rule in error["Message"]


def test_missing_required_members_are_reported_together(live: RunningEmulator) -> None:
    client = client_of(live, UNVALIDATED)
    error = error_of(client.create_order)
    assert error["Message"].startswith("2 validation errors detected")
    assert "OutpostIdentifier is required" in error["Message"] and "PaymentOption is required" in error["Message"]


@pytest.mark.parametrize(
    ("outpost", "item", "code", "fragment"),
    [
        ("op-00000000000000000", seed.RACK_CATALOG_ITEM_ID, "NotFoundException", "op-00000000000000000"),
        (seed.RETIRED_OUTPOST_ID, seed.RACK_CATALOG_ITEM_ID, "ConflictException", "not active"),
        (seed.RACK_OUTPOST_ID, "OR-ZZZZZZZ", "NotFoundException", "OR-ZZZZZZZ"),
        (seed.RACK_OUTPOST_ID, seed.DISCONTINUED_CATALOG_ITEM_ID, "ValidationException", "DISCONTINUED"),
        (seed.RACK_OUTPOST_ID, seed.SERVER_CATALOG_ITEM_ID, "ValidationException", "SERVER hardware"),
    ],
)
def test_semantic_rules_of_create_order(outposts: Any, outpost: str, item: str, code: str, fragment: str) -> None:
    error = error_of(order, client=outposts, outpost=outpost, item=item)
    assert error["Code"] == code and fragment in error["Message"]


def test_an_arn_of_another_region_names_nothing(outposts: Any) -> None:
    error = error_of(order, client=outposts, outpost=ARN.replace("us-east-1", "eu-west-1"))
    assert (error["Code"], error["HTTPStatusCode"]) == ("NotFoundException", 404)


def test_an_order_needs_line_items_or_a_quote(outposts: Any) -> None:
    error = error_of(outposts.create_order, OutpostIdentifier=seed.RACK_OUTPOST_ID, PaymentOption="ALL_UPFRONT")
    assert error["Code"] == "ValidationException" and "LineItems or QuoteIdentifier" in error["Message"]


def test_unknown_orders_are_not_found(outposts: Any) -> None:
    for call in (outposts.get_order, outposts.cancel_order):
        error = error_of(call, OrderId="oo-00000000000000000")
        assert (error["Code"], error["HTTPStatusCode"]) == ("NotFoundException", 404)
    assert error_of(outposts.list_orders, OutpostIdentifierFilter="op-00000000000000000")["Code"] == "NotFoundException"


def test_open_orders_are_capped_per_account() -> None:
    with RunningEmulator(args=["--max-open-orders", "2"]) as running:
        client = client_of(running)
        first, _ = order(client), order(client)
        error = error_of(order, client=client)
        assert (error["Code"], error["HTTPStatusCode"]) == ("ServiceQuotaExceededException", 402)
        client.cancel_order(OrderId=first["OrderId"])  # a cancelled order no longer counts
        order(client)


def _all_orders(client: Any, **filters: Any) -> dict[str, dict[str, Any]]:
    pages = client.get_paginator("list_orders").paginate(**filters)
    return {o["OrderId"]: o for page in pages for o in page["Orders"]}
