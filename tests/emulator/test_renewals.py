"""Contracts, renewals, billing information and decommission validation, through unmodified boto3.

Tests that read contracts or prices, create renewals or move the clock use a fresh emulator: a renewal
cannot be cancelled, so on the session's emulator it would stay pending for every later test, and the
session's clock and orders move the prices.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from botocore import handlers

from pulumi_outposts_orders.emulator.clock import DAY, Clock
from pulumi_outposts_orders.emulator.domain import Service, Settings
from pulumi_outposts_orders.emulator.outposts import contracts, operations, pricing, seed
from pulumi_outposts_orders.emulator.outposts.records import SUBSCRIPTION
from pulumi_outposts_orders.emulator.store import Store
from pulumi_outposts_orders.emulator.testing import SECOND_ACCOUNT_CREDENTIALS, RunningEmulator

from .conftest import client_of
from .helpers import error_of, order
from .test_quotes import new_quote

RACK_ARN = f"arn:aws:outposts:us-east-1:{seed.ACCOUNT_ID}:outpost/{seed.RACK_OUTPOST_ID}"
TOKEN = re.compile(r"^(\d+)##(\S+)$")


def billing(client: Any, outpost: str = seed.SERVER_OUTPOST_ID) -> dict[str, Any]:
    """Every page of GetOutpostBillingInformation at MaxResults 1: the first page with all Subscriptions."""
    pages = list(client.get_paginator("get_outpost_billing_information").paginate(
        OutpostIdentifier=outpost, PaginationConfig={"PageSize": 1}))
    return {**pages[0], "Subscriptions": [s for page in pages for s in page["Subscriptions"]], "pages": len(pages)}


def day(moment: datetime.datetime) -> str:
    """The UTC date of a timestamp boto3 read (botocore gives local time)."""
    return moment.astimezone(datetime.UTC).date().isoformat()


def of_type(info: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [s for s in info["Subscriptions"] if s["SubscriptionType"] == kind]


def renew(client: Any, outpost: str = seed.SERVER_OUTPOST_ID, option: str = "NO_UPFRONT", term: str = "ONE_YEAR",
          **token: str) -> dict[str, Any]:
    answer: dict[str, Any] = client.create_renewal(OutpostIdentifier=outpost, PaymentOption=option,
                                                   PaymentTerm=term, **token)
    answer.pop("ResponseMetadata")
    return answer


def priced(client: Any, outpost: str = seed.SERVER_OUTPOST_ID) -> dict[tuple[str, str], dict[str, Any]]:
    """GetRenewalPricing's SubscriptionPricingDetails by (PaymentOption, PaymentTerm)."""
    answer = client.get_renewal_pricing(OutpostIdentifier=outpost)
    assert answer["PricingResult"] == "PRICED"
    details = [p["SubscriptionPricingDetails"] for p in answer["PricingOptions"]]
    return {(d["PaymentOption"], d["PaymentTerm"]): d for d in details}


def days_until(emulator: RunningEmulator, moment: datetime.datetime) -> float:
    return (moment.timestamp() - emulator.admin.now()) / DAY


def requirement(client: Any, quote_id: str) -> dict[str, Any]:
    quote = client.get_quote(QuoteIdentifier=quote_id)["Quote"]
    found: dict[str, Any] = next(r for r in quote["OrderingRequirements"]
                                 if r["OrderingRequirementType"] == "OUTPOST_RENEWAL_REQUIRED_ERROR")
    return found


# --- GetRenewalPricing ---------------------------------------------------------------------------------
def test_renewal_pricing_prices_every_payment_option_and_term(fresh: Any) -> None:
    details = priced(fresh, RACK_ARN)
    assert set(details) == {(o, t) for o in pricing.ALL_PAYMENT_OPTIONS for t in pricing.ALL_PAYMENT_TERMS}
    assert all(d["Currency"] == "USD" for d in details.values())
    for term, months in pricing.TERM_MONTHS.items():
        upfront, partial, monthly = (details[o, term] for o in ("ALL_UPFRONT", "PARTIAL_UPFRONT", "NO_UPFRONT"))
        assert upfront["MonthlyRecurringPrice"] == 0 and upfront["UpfrontPrice"] > 0
        assert monthly["UpfrontPrice"] == 0 and monthly["MonthlyRecurringPrice"] > 0
        assert partial["UpfrontPrice"] == pytest.approx(partial["MonthlyRecurringPrice"] * months, rel=1e-3)
        assert upfront["UpfrontPrice"] < partial["UpfrontPrice"] * 2 < monthly["MonthlyRecurringPrice"] * months
    per_month = [details["NO_UPFRONT", t]["MonthlyRecurringPrice"] for t in ("ONE_YEAR", "THREE_YEARS", "FIVE_YEARS")]
    assert per_month == sorted(per_month, reverse=True)  # longer terms are cheaper per month
    assert details["PARTIAL_UPFRONT", "ONE_YEAR"] == pricing.price("RACK", 1, "PARTIAL_UPFRONT", "ONE_YEAR")  # 1 rack


def test_a_retired_or_unknown_outpost_cannot_be_priced(outposts: Any) -> None:
    retired = outposts.get_renewal_pricing(OutpostIdentifier=seed.RETIRED_OUTPOST_ID)
    assert (retired["PricingResult"], retired["PricingOptions"]) == ("UNABLE_TO_PRICE", [])
    unknown = error_of(outposts.get_renewal_pricing, OutpostIdentifier="op-00000000000000000")
    assert (unknown["Code"], unknown["HTTPStatusCode"]) == ("NotFoundException", 404)
    other_account = RACK_ARN.replace(seed.ACCOUNT_ID, "999999999999")
    foreign = error_of(outposts.get_renewal_pricing, OutpostIdentifier=other_account)
    assert foreign["Code"] == "NotFoundException"


def test_the_admin_api_makes_an_outpost_unable_to_price(emulator: RunningEmulator, fresh: Any) -> None:
    contract = emulator.admin.set_renewal_pricing(seed.SERVER_OUTPOST_ID, available=False)
    assert contract["RenewalPricing"] == "UNABLE_TO_PRICE"
    answer = fresh.get_renewal_pricing(OutpostIdentifier=seed.SERVER_OUTPOST_ID)
    assert (answer["PricingResult"], answer["PricingOptions"]) == ("UNABLE_TO_PRICE", [])
    refused = error_of(renew, client=fresh)
    assert refused["Code"] == "ValidationException" and "UNABLE_TO_PRICE" in refused["Message"]
    assert of_type(billing(fresh), "RENEWAL") == []
    assert priced(fresh, seed.RACK_OUTPOST_ID)  # the other Outpost is still priced
    emulator.admin.set_renewal_pricing(seed.SERVER_OUTPOST_ID, available=True)
    assert len(priced(fresh)) == 9


def test_renewal_prices_follow_the_outposts_capacity(emulator: RunningEmulator, fresh: Any) -> None:
    before = priced(fresh)["NO_UPFRONT", "THREE_YEARS"]["MonthlyRecurringPrice"]
    assert priced(fresh)["NO_UPFRONT", "THREE_YEARS"] == pricing.price("SERVER", 2, "NO_UPFRONT", "THREE_YEARS")
    placed = order(fresh, seed.SERVER_OUTPOST_ID, seed.SERVER_CATALOG_ITEM_ID, quantity=2)
    assert priced(fresh)["NO_UPFRONT", "THREE_YEARS"]["MonthlyRecurringPrice"] == before  # not delivered yet
    emulator.admin.force_order_status(placed["OrderId"], "DELIVERED")
    assert priced(fresh)["NO_UPFRONT", "THREE_YEARS"]["MonthlyRecurringPrice"] == pytest.approx(before * 2)  # 2 + 2


# --- CreateRenewal -------------------------------------------------------------------------------------
def test_create_renewal_with_a_client_token_is_idempotent(fresh: Any) -> None:
    offered = priced(fresh)["PARTIAL_UPFRONT", "FIVE_YEARS"]
    first = renew(fresh, option="PARTIAL_UPFRONT", term="FIVE_YEARS", ClientToken="renew-1")
    assert first == {"PaymentOption": "PARTIAL_UPFRONT", "PaymentTerm": "FIVE_YEARS",
                     "OutpostId": seed.SERVER_OUTPOST_ID, "UpfrontPrice": offered["UpfrontPrice"],
                     "MonthlyRecurringPrice": offered["MonthlyRecurringPrice"], "Currency": "USD"}
    again = renew(fresh, outpost=f"arn:aws:outposts:us-east-1:{seed.ACCOUNT_ID}:outpost/{seed.SERVER_OUTPOST_ID}",
                  option="PARTIAL_UPFRONT", term="FIVE_YEARS", ClientToken="renew-1")
    assert again == first
    renewals = of_type(billing(fresh), "RENEWAL")
    assert len(renewals) == 1 and renewals[0]["SubscriptionStatus"] == "PENDING"

    other_body = error_of(renew, client=fresh, option="ALL_UPFRONT", term="FIVE_YEARS", ClientToken="renew-1")
    assert other_body["Code"] == "ValidationException" and "'renew-1'" in other_body["Message"]
    other_outpost = error_of(renew, client=fresh, outpost=seed.RACK_OUTPOST_ID, option="PARTIAL_UPFRONT",
                             term="FIVE_YEARS", ClientToken="renew-1")
    assert other_outpost["Code"] == "ValidationException" and "renew-1" in other_outpost["Message"]
    second = error_of(renew, client=fresh, ClientToken="renew-2")
    assert second["Code"] == "ValidationException" and "already pending" in second["Message"]
    assert of_type(billing(fresh), "RENEWAL") == renewals  # nothing created
    assert of_type(billing(fresh, seed.RACK_OUTPOST_ID), "RENEWAL") == []


def test_without_a_client_token_each_call_is_new(emulator: RunningEmulator) -> None:
    client = client_of(emulator)
    client.meta.events.unregister("before-parameter-build", handlers.generate_idempotent_uuid)
    sent: list[dict[str, Any]] = []
    client.meta.events.register("before-call.outposts.CreateRenewal", lambda params, **_: sent.append(params))
    renew(client)
    assert "ClientToken" not in sent[0]["body"].decode()
    refused = error_of(renew, client=client)
    assert refused["Code"] == "ValidationException" and "already pending" in refused["Message"]
    assert len(of_type(billing(client), "RENEWAL")) == 1


def test_create_renewal_refuses_unknown_and_retired_outposts(fresh: Any) -> None:
    unknown = error_of(renew, client=fresh, outpost="op-00000000000000000")
    assert (unknown["Code"], unknown["HTTPStatusCode"]) == ("NotFoundException", 404)
    retired = error_of(renew, client=fresh, outpost=seed.RETIRED_OUTPOST_ID)
    assert retired["Code"] == "ValidationException" and "RETIRED" in retired["Message"]


def test_client_tokens_and_renewals_belong_to_an_account(emulator: RunningEmulator, fresh: Any) -> None:
    other = client_of(emulator, aws_access_key_id=SECOND_ACCOUNT_CREDENTIALS[0],
                      aws_secret_access_key=SECOND_ACCOUNT_CREDENTIALS[1])
    mine = renew(fresh, ClientToken="shared-token")
    theirs = renew(other, option="ALL_UPFRONT", ClientToken="shared-token")  # another account: a new renewal
    assert (mine["PaymentOption"], theirs["PaymentOption"]) == ("NO_UPFRONT", "ALL_UPFRONT")
    placed = order(fresh, seed.SERVER_OUTPOST_ID, seed.SERVER_CATALOG_ITEM_ID)
    seen_by_other = billing(other)
    assert [s["SubscriptionType"] for s in seen_by_other["Subscriptions"]] == ["ORIGINAL", "RENEWAL"]
    assert placed["OrderId"] not in str(seen_by_other)
    assert seen_by_other["Subscriptions"][0] == billing(fresh)["Subscriptions"][0]  # the Outpost's own
    stored = emulator.admin.billing(seed.SERVER_OUTPOST_ID)
    assert sorted((s["SubscriptionType"], s["AccountId"] or "") for s in stored) == [
        ("CAPACITY_INCREASE", seed.ACCOUNT_ID), ("ORIGINAL", ""), ("RENEWAL", seed.ACCOUNT_ID),
        ("RENEWAL", seed.SECOND_ACCOUNT_ID)]


# --- GetOutpostBillingInformation ----------------------------------------------------------------------
def test_seeded_contracts(fresh: Any) -> None:
    today = datetime.datetime.now(datetime.UTC).date()
    expected = {seed.RACK_OUTPOST_ID: ("FIVE_YEARS", "PARTIAL_UPFRONT", "ACTIVE", 36),
                seed.SERVER_OUTPOST_ID: ("THREE_YEARS", "ALL_UPFRONT", "ACTIVE", 6),
                seed.RETIRED_OUTPOST_ID: ("ONE_YEAR", "NO_UPFRONT", "INACTIVE", -24)}
    for outpost, (term, option, status, months_left) in expected.items():
        info = billing(fresh, outpost)
        [original] = info["Subscriptions"]
        assert (info["PaymentTerm"], info["PaymentOption"]) == (term, option)
        assert (original["SubscriptionType"], original["SubscriptionStatus"]) == ("ORIGINAL", status)
        end = datetime.date.fromisoformat(info["ContractEndDate"])
        assert abs((end - today).days - months_left * 30.44) <= 4, (outpost, end)
        assert day(original["EndDate"]) == end.isoformat() and original["EndDate"].timestamp() % DAY == 0
        assert original["SubscriptionId"] == f"sub-{outpost[3:]}" and "OrderIds" not in original
        begin = datetime.datetime.fromtimestamp(
            contracts.add_months(original["EndDate"].timestamp(), -pricing.TERM_MONTHS[term]), datetime.UTC)
        assert original["BeginDate"] == begin


def test_billing_pages_give_every_subscription_once(emulator: RunningEmulator, fresh: Any) -> None:
    placed = [order(fresh, seed.SERVER_OUTPOST_ID, seed.SERVER_CATALOG_ITEM_ID, quantity=n)["OrderId"]
              for n in (1, 2, 3)]
    renew(fresh)
    first = fresh.get_outpost_billing_information(OutpostIdentifier=seed.SERVER_OUTPOST_ID, MaxResults=2)
    assert len(first["Subscriptions"]) == 2 and TOKEN.fullmatch(first["NextToken"])
    info = billing(fresh)
    assert info["pages"] == 5
    ids = [s["SubscriptionId"] for s in info["Subscriptions"]]
    assert len(set(ids)) == 5
    assert [s["SubscriptionType"] for s in info["Subscriptions"]] == ["ORIGINAL", *["CAPACITY_INCREASE"] * 3,
                                                                       "RENEWAL"]
    assert [s["OrderIds"] for s in of_type(info, "CAPACITY_INCREASE")] == [[o] for o in placed]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", info["ContractEndDate"])
    stale = error_of(fresh.get_outpost_billing_information, OutpostIdentifier=seed.RACK_OUTPOST_ID,
                     NextToken=first["NextToken"])
    assert stale["Code"] == "ValidationException"


def test_capacity_increases_follow_their_orders(emulator: RunningEmulator, fresh: Any) -> None:
    delivered = order(fresh, seed.SERVER_OUTPOST_ID, seed.SERVER_CATALOG_ITEM_ID, quantity=2)
    cancelled = order(fresh, seed.SERVER_OUTPOST_ID, seed.SERVER_CATALOG_ITEM_ID)
    failed = order(fresh, seed.SERVER_OUTPOST_ID, seed.SERVER_CATALOG_ITEM_ID)
    fresh.cancel_order(OrderId=cancelled["OrderId"])
    emulator.admin.force_order_status(failed["OrderId"], "ERROR")
    info = billing(fresh)
    contract_end = of_type(info, "ORIGINAL")[0]["EndDate"]
    increases = {s["OrderIds"][0]: s for s in of_type(info, "CAPACITY_INCREASE")}
    assert {k: s["SubscriptionStatus"] for k, s in increases.items()} == {
        delivered["OrderId"]: "PENDING", cancelled["OrderId"]: "CANCELLED", failed["OrderId"]: "PENDING"}
    assert all(s["EndDate"] == contract_end for s in increases.values())  # co-terminous
    expected_begin = delivered["OrderSubmissionDate"] + datetime.timedelta(days=14)
    assert abs((increases[delivered["OrderId"]]["BeginDate"] - expected_begin).total_seconds()) < 1
    assert increases[delivered["OrderId"]]["UpfrontPrice"] == pricing.price("SERVER", 2, "ALL_UPFRONT",
                                                                           "THREE_YEARS")["UpfrontPrice"]
    emulator.admin.advance_days(14)
    assert fresh.get_order(OrderId=delivered["OrderId"])["Order"]["Status"] == "DELIVERED"
    statuses = {s["OrderIds"][0]: s["SubscriptionStatus"] for s in of_type(billing(fresh), "CAPACITY_INCREASE")}
    assert statuses == {delivered["OrderId"]: "ACTIVE", cancelled["OrderId"]: "CANCELLED",
                         failed["OrderId"]: "PENDING"}


def test_statuses_follow_the_clock_and_the_contract_end_moves(emulator: RunningEmulator, fresh: Any) -> None:
    placed = order(fresh, seed.SERVER_OUTPOST_ID, seed.SERVER_CATALOG_ITEM_ID)
    renew(fresh, option="ALL_UPFRONT", term="ONE_YEAR")
    info = billing(fresh)
    [original], [renewal] = of_type(info, "ORIGINAL"), of_type(info, "RENEWAL")
    assert (original["SubscriptionStatus"], renewal["SubscriptionStatus"]) == ("ACTIVE", "PENDING")
    assert renewal["BeginDate"] == original["EndDate"]
    assert renewal["EndDate"].timestamp() == contracts.add_months(original["EndDate"].timestamp(), 12)
    assert info["ContractEndDate"] == day(original["EndDate"])

    emulator.admin.advance_days(days_until(emulator, original["EndDate"]) - 0.5)  # the day before the end
    statuses = {s["SubscriptionType"]: s["SubscriptionStatus"] for s in billing(fresh)["Subscriptions"]}
    assert statuses == {"ORIGINAL": "ACTIVE", "CAPACITY_INCREASE": "ACTIVE", "RENEWAL": "PENDING"}
    emulator.admin.advance_days(1)
    after = billing(fresh)
    statuses = {s["SubscriptionType"]: s["SubscriptionStatus"] for s in after["Subscriptions"]}
    assert statuses == {"ORIGINAL": "INACTIVE", "CAPACITY_INCREASE": "INACTIVE", "RENEWAL": "ACTIVE"}
    assert of_type(after, "CAPACITY_INCREASE")[0]["OrderIds"] == [placed["OrderId"]]
    assert after["ContractEndDate"] == day(renewal["EndDate"])
    assert (after["PaymentTerm"], after["PaymentOption"]) == ("ONE_YEAR", "ALL_UPFRONT")

    renew(fresh, option="NO_UPFRONT", term="THREE_YEARS")  # the renewal of the renewal
    [_, following] = of_type(billing(fresh), "RENEWAL")
    assert (following["SubscriptionStatus"], following["BeginDate"]) == ("PENDING", renewal["EndDate"])


# --- GetQuote's OUTPOST_RENEWAL_REQUIRED_ERROR ---------------------------------------------------------
def test_a_quote_needs_a_renewal_when_the_contract_ends_within_a_year(emulator: RunningEmulator,
                                                                       fresh: Any) -> None:
    rack = requirement(fresh, seed.QUOTE_ID)
    assert rack["Status"] == "PASS"
    server_quote = new_quote(fresh, outpost=seed.SERVER_OUTPOST_ID)
    server = requirement(fresh, server_quote["QuoteId"])
    assert server["Status"] == "FAIL" and "within 365 days" in server["StatusMessage"]
    others = {r["OrderingRequirementType"]: r["Status"] for r in server_quote["OrderingRequirements"]}
    assert others == {"OUTPOST_ID_MISSING_ON_QUOTE_ERROR": "PASS", "OUTPOST_ACTIVE_CHECK_ERROR": "PASS",
                      "COUNTRY_CODE_MISMATCH_CHECK_ERROR": "PASS", "OUTPOST_RENEWAL_REQUIRED_ERROR": "FAIL"}
    renew(fresh, term="ONE_YEAR")
    renewed = requirement(fresh, server_quote["QuoteId"])
    assert renewed["Status"] == "PASS" and "renewal sub-" in renewed["StatusMessage"]

    soon = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=200)).date().isoformat()
    contract = emulator.admin.set_outpost_contract(seed.RACK_OUTPOST_ID, end_date=soon)
    assert contract["ContractEndDate"] == soon
    assert requirement(fresh, seed.QUOTE_ID)["Status"] == "FAIL"


# --- StartOutpostDecommission --------------------------------------------------------------------------
def test_decommission_validation_lists_what_blocks_it(emulator: RunningEmulator, fresh: Any) -> None:
    def validate(outpost: str = seed.RACK_OUTPOST_ID) -> tuple[str, list[str]]:
        answer = fresh.start_outpost_decommission(OutpostIdentifier=outpost, ValidateOnly=True)
        return answer["Status"], answer["BlockingResourceTypes"]

    assert validate(RACK_ARN) == ("SKIPPED", [])
    preparing = order(fresh)
    assert validate() == ("BLOCKED", ["OUTPOST_ORDER_CANCELLABLE"])
    failed = order(fresh)
    emulator.admin.force_order_status(failed["OrderId"], "ERROR")
    assert validate() == ("BLOCKED", ["OUTPOST_ORDER_CANCELLABLE", "OUTPOST_ORDER_INTERVENTION_REQUIRED"])
    fresh.cancel_order(OrderId=preparing["OrderId"])
    assert validate() == ("BLOCKED", ["OUTPOST_ORDER_INTERVENTION_REQUIRED"])
    emulator.admin.force_order_status(failed["OrderId"], "COMPLETED")
    assert validate() == ("SKIPPED", [])
    assert validate(seed.SERVER_OUTPOST_ID) == ("SKIPPED", [])

    for params in ({}, {"ValidateOnly": False}):
        refused = error_of(fresh.start_outpost_decommission, OutpostIdentifier=seed.RACK_OUTPOST_ID, **params)
        assert refused["Code"] == "ValidationException" and "only validates" in refused["Message"]
    retired = error_of(fresh.start_outpost_decommission, OutpostIdentifier=seed.RETIRED_OUTPOST_ID, ValidateOnly=True)
    assert (retired["Code"], retired["HTTPStatusCode"]) == ("ConflictException", 409)
    unknown = error_of(fresh.start_outpost_decommission, OutpostIdentifier="op-00000000000000000", ValidateOnly=True)
    assert unknown["Code"] == "NotFoundException"
    assert fresh.get_outpost(OutpostId=seed.RACK_OUTPOST_ID)["Outpost"]["LifeCycleStatus"] == "ACTIVE"


# --- the admin API and the store -----------------------------------------------------------------------
def test_the_admin_api_sets_the_contract_and_renewals_follow(emulator: RunningEmulator, fresh: Any) -> None:
    renew(fresh, term="THREE_YEARS")
    contract = emulator.admin.set_outpost_contract(seed.SERVER_OUTPOST_ID, end_date="2031-03-31",
                                                   payment_term="FIVE_YEARS", payment_option="NO_UPFRONT")
    assert (contract["ContractEndDate"], contract["PaymentTerm"], contract["PaymentOption"]) == (
        "2031-03-31", "FIVE_YEARS", "NO_UPFRONT")
    info = billing(fresh)
    assert (info["ContractEndDate"], info["PaymentTerm"], info["PaymentOption"]) == ("2031-03-31", "FIVE_YEARS",
                                                                                     "NO_UPFRONT")
    [renewal] = of_type(info, "RENEWAL")
    assert (day(renewal["BeginDate"]), day(renewal["EndDate"])) == ("2031-03-31", "2034-03-31")
    assert requirement(fresh, new_quote(fresh, outpost=seed.SERVER_OUTPOST_ID)["QuoteId"])["Status"] == "PASS"

    stored = emulator.admin.billing(seed.SERVER_OUTPOST_ID)
    assert [(s["SubscriptionType"], s["AccountId"], s["SubscriptionStatus"]) for s in stored] == [
        ("ORIGINAL", None, "ACTIVE"), ("RENEWAL", seed.ACCOUNT_ID, "PENDING")]
    assert stored[1]["SubscriptionId"] == renewal["SubscriptionId"] and stored[1]["ClientToken"]

    emulator.admin.set_outpost_contract(seed.SERVER_OUTPOST_ID, end_date=datetime.datetime(
        2030, 1, 2, tzinfo=datetime.UTC).timestamp())
    assert billing(fresh)["ContractEndDate"] == "2030-01-02"
    for bad, fragment in (({"payment_term": "TEN_YEARS"}, "payment_term"), ({"end_date": "someday"}, "end_date"),
                          ({"end_date": "2001-01-01"}, "after the contract's BeginDate")):
        with pytest.raises(RuntimeError, match=f"failed \\(400\\).*{re.escape(fragment)}"):
            emulator.admin.set_outpost_contract(seed.SERVER_OUTPOST_ID, **bad)
    with pytest.raises(RuntimeError, match=r"failed \(404\)"):
        emulator.admin.billing("op-00000000000000000")


def test_contracts_and_renewals_survive_a_restart(emulator: RunningEmulator, fresh: Any) -> None:
    order(fresh, seed.SERVER_OUTPOST_ID, seed.SERVER_CATALOG_ITEM_ID)
    renew(fresh, ClientToken="kept")
    before = billing(fresh)
    emulator.restart()
    after = billing(client_of(emulator))
    assert (after["Subscriptions"], after["ContractEndDate"]) == (before["Subscriptions"], before["ContractEndDate"])
    assert renew(client_of(emulator), ClientToken="kept")["PaymentTerm"] == "ONE_YEAR"  # the same renewal


def test_a_database_seeded_before_contracts_gets_them(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "emulator.db"))
    service = Service(store, Clock(), Settings(seed.ACCOUNT_ID), operations.OPERATIONS)
    seed.seed(service)
    with store.transaction() as tx:  # as an earlier version left it: seeded, without subscriptions
        for outpost_id in seed.CONTRACTS:
            tx.delete(SUBSCRIPTION, contracts.original_id(outpost_id))
        tx.set_setting("seed.contracts.done", "")
    seed.seed(service)
    info = service.call("GetOutpostBillingInformation", {"OutpostIdentifier": seed.SERVER_OUTPOST_ID}, "us-east-1")
    assert (info["PaymentTerm"], info["Subscriptions"][0]["SubscriptionStatus"]) == ("THREE_YEARS", "ACTIVE")
