"""A second, independent client: the AWS SDK for JavaScript v3 (``@aws-sdk/client-outposts``).

``tests/js/flows.cjs`` runs the flows (line-item order, list with pagination, cancel, renewal pricing,
a renewal created twice with one ClientToken, the billing information page by page, decommission
validation, each error type) with the SDK's own serializers, parsers, paginators and error classes;
this test installs the pinned packages (``scripts/provision_js_client.py``: ``npm ci`` into a cache
outside the clone) and asserts on what the script saw. The newest SDK on npm (3.1048.0) predates the
2026-06 quote update: it has FIVE_YEARS and the renewal and billing operations but no quote operations;
the AWS SDK for Go v2 covers quotes (``test_go_client.py``).
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pulumi_outposts_orders.emulator.outposts import seed
from pulumi_outposts_orders.emulator.testing import RunningEmulator, boto3_env

from .conftest import provisioned

ROOT = Path(__file__).resolve().parents[2]
FLOWS = ROOT / "tests" / "js" / "flows.cjs"


@pytest.fixture(scope="module")
def node_modules(pytestconfig: pytest.Config) -> Path:
    """The installed SDK (installed on first use; progress shown even under output capture)."""
    return provisioned(pytestconfig, "provision_js_client")


@pytest.fixture(scope="module")
def report(node_modules: Path) -> Iterator[dict[str, Any]]:
    """What the JavaScript flows saw against a fresh emulator (quota: 5 open orders)."""
    with RunningEmulator(args=["--max-open-orders", "5"]) as running:
        env = {**boto3_env(running.endpoint), "NODE_PATH": str(node_modules), "EMULATOR_ADMIN": running.endpoint,
               "RACK_OUTPOST_ID": seed.RACK_OUTPOST_ID, "RACK_CATALOG_ITEM_ID": seed.RACK_CATALOG_ITEM_ID,
               "SERVER_OUTPOST_ID": seed.SERVER_OUTPOST_ID, "SITE_ID": seed.SITE_ID, "AWS_REGION": "us-east-1"}
        env.pop("NODE_OPTIONS", None)
        started = time.time()
        done = subprocess.run(["node", str(FLOWS)], env=env, capture_output=True, text=True, timeout=120,
                              cwd=os.path.dirname(FLOWS))
        assert done.returncode == 0, done.stderr
        yield {**json.loads(done.stdout), "started": started, "calls": running.admin.calls(),
               "stored": running.admin.billing(seed.SERVER_OUTPOST_ID)}


def test_the_pinned_sdk_has_the_2026_payment_terms(report: dict[str, Any]) -> None:
    assert report["model"]["version"] == "3.1048.0" and report["model"]["fiveYears"]
    assert report["model"]["createRenewal"]


def test_a_line_item_order_reads_back_in_javascript(report: dict[str, Any]) -> None:
    placed = report["lineItemOrder"]
    assert placed["sameOnGet"] and placed["orderId"].startswith("oo-")
    assert (placed["status"], placed["paymentTerm"], placed["quantity"]) == ("PREPARING", "FIVE_YEARS", 2)
    assert placed["lineItemId"].startswith("ooi-") and placed["submittedIsDate"]
    submitted = datetime.datetime.fromisoformat(placed["submitted"].replace("Z", "+00:00")).timestamp()
    assert report["started"] - 2 <= submitted <= time.time()


def test_the_sdk_paginator_walks_every_page(report: dict[str, Any]) -> None:
    pages, placed = report["pagination"]["pages"], report["pagination"]["placed"]
    assert all(len(page) == 1 for page in pages) and len(pages) == len(placed)
    assert [order for page in pages for order in page] == placed


def test_cancel_in_javascript(report: dict[str, Any]) -> None:
    assert report["cancel"] == {"status": "CANCELLED", "lineItems": ["CANCELLED"]}


@pytest.mark.parametrize(
    ("name", "status", "modeled"),
    [("ValidationException", 400, True), ("NotFoundException", 404, True), ("ConflictException", 409, True),
     ("ServiceQuotaExceededException", 402, True), ("InternalServerException", 500, True),
     ("ThrottlingException", 429, False), ("NotImplementedException", 501, False)],
)
def test_each_error_type_reaches_the_sdk_as_itself(report: dict[str, Any], name: str, status: int,
                                                   modeled: bool) -> None:
    error = report["errors"][name]
    assert error["thrown"] and (error["name"], error["status"], error["modeledClass"]) == (name, status, modeled)
    assert error["message"] and error["message"] != "UnknownError"


def test_a_conflict_names_the_order(report: dict[str, Any]) -> None:
    conflict = report["errors"]["ConflictException"]
    assert (conflict["resourceId"], conflict["resourceType"]) == (report["lineItemOrder"]["orderId"], "ORDER")


def test_a_renewal_created_twice_with_one_client_token_is_one_renewal(report: dict[str, Any]) -> None:
    seen = report["renewals"]
    assert (seen["pricingResult"], seen["options"]) == ("PRICED", 9)
    assert seen["created"] == seen["again"] == {"outpostId": seed.SERVER_OUTPOST_ID, "option": "NO_UPFRONT",
                                                "term": "ONE_YEAR", **seen["offered"]}
    renewals = [s for s in report["stored"] if s["SubscriptionType"] == "RENEWAL"]
    assert len(renewals) == 1 and renewals[0]["ClientToken"] == "js-renewal-token"


def test_the_sdk_paginator_walks_the_billing_information(report: dict[str, Any]) -> None:
    seen = report["renewals"]
    assert all(len(page) == 1 for page in seen["pages"])
    original, renewal = (page[0] for page in seen["pages"])
    assert [s["SubscriptionId"] for s in report["stored"]] == [original["id"], renewal["id"]]
    assert (original["type"], original["status"], renewal["type"], renewal["status"]) == (
        "ORIGINAL", "ACTIVE", "RENEWAL", "PENDING")
    assert renewal["begin"] == original["end"] and renewal["monthly"] == seen["offered"]["monthly"]
    assert seen["contract"] == {"endDate": original["end"][:10], "term": "THREE_YEARS", "option": "ALL_UPFRONT"}


def test_decommission_validation_in_javascript(report: dict[str, Any]) -> None:
    assert report["decommission"] == {"status": "BLOCKED", "blocking": ["OUTPOST_ORDER_CANCELLABLE"]}
