"""Accounts: orders and quotes belong to the account that made them; every account sees the seeded Outposts."""

from __future__ import annotations

from typing import Any

from pulumi_outposts_orders.emulator import testing
from pulumi_outposts_orders.emulator.outposts import seed
from pulumi_outposts_orders.emulator.testing import RunningEmulator, role_arn

from .conftest import client_of
from .helpers import error_of, order
from .test_sts import assume, outposts_of, sts_of


def role_client(emulator: RunningEmulator, account: str) -> Any:
    """An Outposts client acting through a role of ``account``, assumed with the seed account's key."""
    return outposts_of(emulator, assume(sts_of(emulator), role_arn(account=account))["Credentials"])


def second_account_client(emulator: RunningEmulator) -> Any:
    """An Outposts client of the second account's long-term key."""
    return client_of(emulator, aws_access_key_id=testing.SECOND_ACCESS_KEY_ID,
                     aws_secret_access_key=testing.SECOND_SECRET_ACCESS_KEY)


def test_an_order_is_seen_only_from_its_own_account(live: RunningEmulator, outposts: Any) -> None:
    role = role_client(live, "222222222222")
    theirs = order(role)
    ours = order(outposts)
    for client, other in ((outposts, theirs), (role, ours)):
        assert error_of(client.get_order, OrderId=other["OrderId"])["Code"] == "NotFoundException"
        assert error_of(client.cancel_order, OrderId=other["OrderId"])["HTTPStatusCode"] == 404
        listed = [o["OrderId"] for p in client.get_paginator("list_orders").paginate() for o in p["Orders"]]
        assert other["OrderId"] not in listed
    assert [o["OrderId"] for o in role.list_orders(OutpostIdentifierFilter=seed.RACK_OUTPOST_ID)["Orders"]] == [
        theirs["OrderId"]]
    assert role.get_order(OrderId=theirs["OrderId"])["Order"]["OutpostId"] == seed.RACK_OUTPOST_ID
    role.cancel_order(OrderId=theirs["OrderId"])
    assert outposts.get_order(OrderId=ours["OrderId"])["Order"]["Status"] == "PREPARING"


def test_one_account_through_a_key_and_through_its_roles_sees_the_same_orders(live: RunningEmulator) -> None:
    by_key = order(second_account_client(live))
    role = role_client(live, testing.SECOND_ACCOUNT_ID)
    assert role.get_order(OrderId=by_key["OrderId"])["Order"]["OrderId"] == by_key["OrderId"]


def test_every_account_sees_the_seeded_outposts_under_its_own_arns(live: RunningEmulator, outposts: Any) -> None:
    role = role_client(live, "333333333333")
    mine = {o["OutpostId"]: o["OutpostArn"] for o in role.list_outposts()["Outposts"]}
    assert set(mine) == {o["OutpostId"] for o in outposts.list_outposts()["Outposts"]}
    assert mine[seed.RACK_OUTPOST_ID] == f"arn:aws:outposts:us-east-1:333333333333:outpost/{seed.RACK_OUTPOST_ID}"
    assert role.get_site(SiteId=seed.SITE_ID)["Site"]["AccountId"] == "333333333333"
    order(role, outpost=mine[seed.RACK_OUTPOST_ID])
    seed_arn = f"arn:aws:outposts:us-east-1:{seed.ACCOUNT_ID}:outpost/{seed.RACK_OUTPOST_ID}"
    assert error_of(order, client=role, outpost=seed_arn)["Code"] == "NotFoundException"


def test_quotes_belong_to_their_account(live: RunningEmulator, outposts: Any) -> None:
    role = role_client(live, "444444444444")
    assert error_of(role.get_quote, QuoteIdentifier=seed.QUOTE_ID)["Code"] == "NotFoundException"
    assert role.list_quotes()["Quotes"] == []
    error = error_of(role.create_order, OutpostIdentifier=seed.RACK_OUTPOST_ID, QuoteIdentifier=seed.QUOTE_ID,
                     QuoteOptionIdentifier=seed.QUOTE_OPTION_IDS[0], PaymentOption="ALL_UPFRONT")
    assert error["Code"] == "NotFoundException"
    created = role.create_quote(CountryCode="US", OutpostIdentifier=seed.RACK_OUTPOST_ID,
                                RequestedCapacities=[{"QuoteCapacityType": "EC2", "Unit": "m5.24xlarge",
                                                      "Quantity": 2}])["Quote"]
    assert created["AccountId"] == "444444444444"
    assert [q["QuoteId"] for q in role.list_quotes()["Quotes"]] == [created["QuoteId"]]
    assert error_of(outposts.get_quote, QuoteIdentifier=created["QuoteId"])["HTTPStatusCode"] == 404
    assert error_of(outposts.delete_quote, QuoteIdentifier=created["QuoteId"])["HTTPStatusCode"] == 404
    placed = role.create_order(OutpostIdentifier=seed.RACK_OUTPOST_ID, QuoteIdentifier=created["QuoteId"],
                               QuoteOptionIdentifier=created["QuoteOptions"][0]["QuoteOptionIdentifier"],
                               PaymentOption="NO_UPFRONT")["Order"]
    assert role.get_quote(QuoteIdentifier=created["QuoteId"])["Quote"]["SubmittedOrderId"] == placed["OrderId"]


def test_the_open_order_quota_is_per_account() -> None:
    with RunningEmulator(args=["--max-open-orders", "1"]) as running:
        first = client_of(running)
        order(first)
        assert error_of(order, client=first)["Code"] == "ServiceQuotaExceededException"
        order(second_account_client(running))


def test_assets_of_an_accounts_orders_are_listed_only_for_that_account(emulator: RunningEmulator) -> None:
    first = client_of(emulator)
    role = role_client(emulator, testing.SECOND_ACCOUNT_ID)
    existing = {a["AssetId"] for a in first.list_assets(OutpostIdentifier=seed.RACK_OUTPOST_ID)["Assets"]}
    order(role, quantity=2)
    emulator.admin.advance_days(8)  # built: the hardware exists
    role = role_client(emulator, testing.SECOND_ACCOUNT_ID)  # the first session expired meanwhile
    listed = {a["AssetId"] for a in role.list_assets(OutpostIdentifier=seed.RACK_OUTPOST_ID)["Assets"]}
    assert existing < listed and len(listed - existing) == 2
    assert {a["AssetId"] for a in first.list_assets(OutpostIdentifier=seed.RACK_OUTPOST_ID)["Assets"]} == existing


def test_a_restart_keeps_temporary_credentials_and_whose_orders_are_whose(emulator: RunningEmulator) -> None:
    credentials = assume(sts_of(emulator), role_arn(account=testing.SECOND_ACCOUNT_ID))["Credentials"]
    placed = order(outposts_of(emulator, credentials))
    emulator.restart()
    me = sts_of(emulator, credentials).get_caller_identity()
    assert me["Account"] == testing.SECOND_ACCOUNT_ID
    assert outposts_of(emulator, credentials).get_order(OrderId=placed["OrderId"])["Order"]["Status"] == "PREPARING"
    assert error_of(client_of(emulator).get_order, OrderId=placed["OrderId"])["Code"] == "NotFoundException"
