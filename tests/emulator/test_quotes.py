"""Quotes through unmodified boto3, and orders from quote options."""

from __future__ import annotations

from typing import Any

from pulumi_outposts_orders.emulator.outposts import seed
from pulumi_outposts_orders.emulator.testing import RunningEmulator

from .helpers import error_of

CAPACITY = [{"QuoteCapacityType": "EC2", "Unit": "c6gd.16xlarge", "Quantity": 2.0}]


def new_quote(client: Any, outpost: str | None = seed.RACK_OUTPOST_ID, **extra: Any) -> dict[str, Any]:
    params = {"CountryCode": "US", "RequestedCapacities": CAPACITY, **extra}
    if outpost:
        params["OutpostIdentifier"] = outpost
    quote: dict[str, Any] = client.create_quote(**params)["Quote"]
    return quote


def order_from(client: Any, quote_id: str, option_id: str, outpost: str = seed.RACK_OUTPOST_ID,
               **payment: str) -> dict[str, Any]:
    terms = {"PaymentOption": "ALL_UPFRONT", "PaymentTerm": "THREE_YEARS", **payment}
    created: dict[str, Any] = client.create_order(OutpostIdentifier=outpost, QuoteIdentifier=quote_id,
                                                  QuoteOptionIdentifier=option_id, **terms)["Order"]
    return created


def test_create_quote_prices_every_option_for_each_payment_choice(outposts: Any) -> None:
    quote = new_quote(outposts, outpost=seed.SERVER_OUTPOST_ID, RequestedPaymentOptions=["NO_UPFRONT"],
                      RequestedPaymentTerms=["ONE_YEAR", "FIVE_YEARS"], Description="edge servers")
    assert quote["QuoteStatus"] == "CREATED" and quote["AccountId"] == seed.ACCOUNT_ID
    assert quote["OutpostArn"].endswith(f":outpost/{seed.SERVER_OUTPOST_ID}")
    assert quote["ExpirationDate"] > quote["CreatedDate"]
    assert len(quote["QuoteOptions"]) == 2
    for option in quote["QuoteOptions"]:
        assert option["QuoteOptionIdentifier"].startswith("oqo-")
        assert option["Specifications"][0]["QuoteSpecificationType"] == "SERVER"
        details = [p["SubscriptionPricingDetails"] for p in option["PricingOptions"]]
        assert {(d["PaymentOption"], d["PaymentTerm"]) for d in details} == {("NO_UPFRONT", "ONE_YEAR"),
                                                                             ("NO_UPFRONT", "FIVE_YEARS")}
        assert all(d["UpfrontPrice"] == 0 and d["MonthlyRecurringPrice"] > 0 and d["Currency"] == "USD"
                   for d in details)
    requirements = {r["OrderingRequirementType"]: r["Status"] for r in quote["OrderingRequirements"]}
    assert requirements["OUTPOST_ACTIVE_CHECK_ERROR"] == "PASS"


def test_get_and_list_quotes_with_pagination(outposts: Any) -> None:
    created = {new_quote(outposts)["QuoteId"] for _ in range(3)}
    quote_id = next(iter(created))
    assert outposts.get_quote(QuoteIdentifier=quote_id)["Quote"]["QuoteId"] == quote_id
    arn = f"arn:aws:outposts:us-east-1:{seed.ACCOUNT_ID}:quote/{quote_id}"
    assert outposts.get_quote(QuoteIdentifier=arn)["Quote"]["QuoteId"] == quote_id
    pages = list(outposts.get_paginator("list_quotes").paginate(PaginationConfig={"PageSize": 2}))
    assert len(pages) >= 2
    listed = [q["QuoteId"] for page in pages for q in page["Quotes"]]
    assert created <= set(listed) and seed.QUOTE_ID in listed
    assert all("OrderingRequirements" not in q for page in pages for q in page["Quotes"])


def test_update_quote_reprices_under_new_option_ids(outposts: Any) -> None:
    quote = new_quote(outposts, outpost=None)
    assert quote["OrderingRequirements"][0]["Status"] == "FAIL"  # no Outpost yet
    updated = outposts.update_quote(QuoteIdentifier=quote["QuoteId"], OutpostIdentifier=seed.RACK_OUTPOST_ID,
                                    RequestedPaymentTerms=["FIVE_YEARS"], Description="now with an Outpost")
    updated = updated["Quote"]
    assert updated["OutpostArn"].endswith(seed.RACK_OUTPOST_ID) and updated["Description"] == "now with an Outpost"
    old = {o["QuoteOptionIdentifier"] for o in quote["QuoteOptions"]}
    assert not old & {o["QuoteOptionIdentifier"] for o in updated["QuoteOptions"]}
    terms = {p["SubscriptionPricingDetails"]["PaymentTerm"] for p in updated["QuoteOptions"][0]["PricingOptions"]}
    assert terms == {"FIVE_YEARS"}
    cleared = outposts.update_quote(QuoteIdentifier=quote["QuoteId"], OutpostIdentifier="")["Quote"]
    assert "OutpostArn" not in cleared


def test_delete_quote(outposts: Any) -> None:
    quote = new_quote(outposts)
    outposts.delete_quote(QuoteIdentifier=quote["QuoteId"])
    error = error_of(outposts.get_quote, QuoteIdentifier=quote["QuoteId"])
    assert (error["Code"], error["HTTPStatusCode"]) == ("NotFoundException", 404)


def test_an_order_from_a_quote_option_takes_its_line_items_and_submits_the_quote(outposts: Any) -> None:
    quote = new_quote(outposts)
    two_racks = quote["QuoteOptions"][1]["QuoteOptionIdentifier"]
    created = order_from(outposts, quote["QuoteId"], two_racks)
    assert created["QuoteIdentifier"] == quote["QuoteId"] and created["QuoteOptionIdentifier"] == two_racks
    assert [(i["Quantity"], i["Status"]) for i in created["LineItems"]] == [(1, "PREPARING")] * 2
    submitted = outposts.get_quote(QuoteIdentifier=quote["QuoteId"])["Quote"]
    assert submitted["QuoteStatus"] == "ORDER_SUBMITTED" and submitted["SubmittedOrderId"] == created["OrderId"]

    again = error_of(order_from, client=outposts, quote_id=quote["QuoteId"], option_id=two_racks)
    assert (again["Code"], again["HTTPStatusCode"]) == ("ConflictException", 409)
    assert created["OrderId"] in again["Message"]
    for call in (outposts.update_quote, outposts.delete_quote):
        assert error_of(call, QuoteIdentifier=quote["QuoteId"])["Code"] == "ValidationException"


def test_quote_rules_of_create_order(outposts: Any) -> None:
    quote, other = new_quote(outposts), new_quote(outposts)
    foreign = other["QuoteOptions"][0]["QuoteOptionIdentifier"]
    option = quote["QuoteOptions"][0]["QuoteOptionIdentifier"]
    cases = [
        ({"option_id": foreign}, "ValidationException", "does not belong"),
        ({"option_id": option, "outpost": seed.SERVER_OUTPOST_ID}, "ValidationException", "is for"),
        ({"option_id": option, "quote_id": "oq-00000000000000000"}, "NotFoundException", "does not exist"),
    ]
    for params, code, fragment in cases:
        error = error_of(order_from, client=outposts, **{"quote_id": quote["QuoteId"], **params})
        assert error["Code"] == code and fragment in error["Message"], params
    priced = new_quote(outposts, RequestedPaymentOptions=["NO_UPFRONT"])
    error = error_of(order_from, client=outposts, quote_id=priced["QuoteId"],
                     option_id=priced["QuoteOptions"][0]["QuoteOptionIdentifier"])
    assert "not priced" in error["Message"]
    with_items = error_of(outposts.create_order, OutpostIdentifier=seed.RACK_OUTPOST_ID, PaymentOption="ALL_UPFRONT",
                          QuoteIdentifier=quote["QuoteId"], QuoteOptionIdentifier=option,
                          LineItems=[{"CatalogItemId": seed.RACK_CATALOG_ITEM_ID, "Quantity": 1}])
    assert "cannot be combined" in with_items["Message"]


def test_seeded_quotes_one_orderable_one_expired(emulator: RunningEmulator, fresh: Any) -> None:
    expired = error_of(order_from, client=fresh, quote_id=seed.EXPIRED_QUOTE_ID,
                       option_id=seed.EXPIRED_QUOTE_OPTION_IDS[0])
    assert expired["Code"] == "ValidationException" and "expired" in expired["Message"]
    assert fresh.get_quote(QuoteIdentifier=seed.EXPIRED_QUOTE_ID)["Quote"]["QuoteStatus"] == "EXPIRED"
    quote = fresh.get_quote(QuoteIdentifier=seed.QUOTE_ID)["Quote"]
    assert quote["QuoteStatus"] == "CREATED"
    assert [o["QuoteOptionIdentifier"] for o in quote["QuoteOptions"]] == list(seed.QUOTE_OPTION_IDS)
    emulator.admin.advance_days(seed.QUOTE_VALID_DAYS + 1)
    late = error_of(order_from, client=fresh, quote_id=seed.QUOTE_ID, option_id=seed.QUOTE_OPTION_IDS[0])
    assert "expired" in late["Message"]
