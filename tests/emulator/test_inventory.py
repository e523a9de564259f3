"""Outposts, sites, catalog items and assets through unmodified boto3."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_outposts_orders.emulator.outposts import seed
from pulumi_outposts_orders.emulator.testing import RunningEmulator

from .conftest import client_of
from .helpers import error_of

PREFIX = f"arn:aws:outposts:us-east-1:{seed.ACCOUNT_ID}"


def test_get_outpost_by_id_and_arn(outposts: Any) -> None:
    by_id = outposts.get_outpost(OutpostId=seed.RACK_OUTPOST_ID)["Outpost"]
    by_arn = outposts.get_outpost(OutpostId=f"{PREFIX}:outpost/{seed.RACK_OUTPOST_ID}")["Outpost"]
    assert by_id == by_arn
    assert by_id["OutpostArn"] == f"{PREFIX}:outpost/{seed.RACK_OUTPOST_ID}"
    assert by_id["SiteArn"] == f"{PREFIX}:site/{seed.SITE_ID}"
    assert (by_id["LifeCycleStatus"], by_id["SupportedHardwareType"]) == ("ACTIVE", "RACK")


def test_arns_use_the_region_of_the_signature(live: RunningEmulator) -> None:
    client = client_of(live, region_name="eu-central-1")
    outpost = client.get_outpost(OutpostId=seed.SERVER_OUTPOST_ID)["Outpost"]
    assert outpost["OutpostArn"].startswith(f"arn:aws:outposts:eu-central-1:{seed.ACCOUNT_ID}:outpost/")
    assert outpost["AvailabilityZone"] == "eu-central-1a"


def test_list_outposts_pages_and_filters(outposts: Any) -> None:
    pages = list(outposts.get_paginator("list_outposts").paginate(PaginationConfig={"PageSize": 1}))
    assert len(pages) == 3
    hardware = {o["OutpostId"]: o["SupportedHardwareType"] for p in pages for o in p["Outposts"]}
    assert hardware == {seed.RACK_OUTPOST_ID: "RACK", seed.SERVER_OUTPOST_ID: "SERVER", seed.RETIRED_OUTPOST_ID: "RACK"}
    active = outposts.list_outposts(LifeCycleStatusFilter=["ACTIVE"])["Outposts"]
    assert {o["OutpostId"] for o in active} == set(seed.ACTIVE_OUTPOST_IDS)


def test_sites(outposts: Any) -> None:
    site = outposts.get_site(SiteId=f"{PREFIX}:site/{seed.SECOND_SITE_ID}")["Site"]
    assert site["SiteId"] == seed.SECOND_SITE_ID and site["AccountId"] == seed.ACCOUNT_ID
    first = outposts.list_sites(MaxResults=1)
    assert len(first["Sites"]) == 1
    rest = outposts.list_sites(MaxResults=1, NextToken=first["NextToken"])
    assert "NextToken" not in rest
    assert {s["SiteId"] for s in first["Sites"] + rest["Sites"]} == {seed.SITE_ID, seed.SECOND_SITE_ID}
    texas = outposts.list_sites(OperatingAddressStateOrRegionFilter=["TX"])["Sites"]
    assert [s["SiteId"] for s in texas] == [seed.SECOND_SITE_ID]


def test_catalog(outposts: Any) -> None:
    item = outposts.get_catalog_item(CatalogItemId=seed.DISCONTINUED_CATALOG_ITEM_ID)["CatalogItem"]
    assert item["ItemStatus"] == "DISCONTINUED" and "_ItemClass" not in item
    pages = list(outposts.get_paginator("list_catalog_items").paginate(PaginationConfig={"PageSize": 2}))
    assert len(pages) == 3
    assert sum(len(p["CatalogItems"]) for p in pages) == 5
    servers = outposts.list_catalog_items(ItemClassFilter=["SERVER"])["CatalogItems"]
    assert {i["CatalogItemId"] for i in servers} == {seed.SERVER_CATALOG_ITEM_ID, seed.SECOND_SERVER_CATALOG_ITEM_ID}
    c5 = outposts.list_catalog_items(EC2FamilyFilter=["c5"])["CatalogItems"]
    assert [i["CatalogItemId"] for i in c5] == [seed.SECOND_RACK_CATALOG_ITEM_ID]


def test_assets_of_an_active_outpost(outposts: Any) -> None:
    assets = outposts.list_assets(OutpostIdentifier=f"{PREFIX}:outpost/{seed.SERVER_OUTPOST_ID}")["Assets"]
    assert len(assets) >= 2 and all(a["AssetType"] == "COMPUTE" for a in assets)
    first = outposts.list_assets(OutpostIdentifier=seed.SERVER_OUTPOST_ID, MaxResults=1)
    assert len(first["Assets"]) == 1 and "NextToken" in first
    host = assets[0]["ComputeAttributes"]["HostId"]
    only = outposts.list_assets(OutpostIdentifier=seed.SERVER_OUTPOST_ID, HostIdFilter=[host])["Assets"]
    assert [a["ComputeAttributes"]["HostId"] for a in only] == [host]


@pytest.mark.parametrize(
    ("operation", "params"),
    [
        ("get_outpost", {"OutpostId": "op-00000000000000000"}),
        ("get_site", {"SiteId": "os-00000000000000000"}),
        ("get_catalog_item", {"CatalogItemId": "OR-0000000"}),
        ("list_assets", {"OutpostIdentifier": "op-00000000000000000"}),
        ("get_quote", {"QuoteIdentifier": "oq-00000000000000000"}),
        ("get_outpost", {"OutpostId": f"arn:aws:outposts:us-east-1:999999999999:outpost/{seed.RACK_OUTPOST_ID}"}),
    ],
)
def test_unknown_ids_are_not_found(outposts: Any, operation: str, params: dict[str, str]) -> None:
    error = error_of(getattr(outposts, operation), **params)
    assert (error["Code"], error["HTTPStatusCode"]) == ("NotFoundException", 404)
