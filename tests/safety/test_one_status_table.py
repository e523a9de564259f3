"""Every decision about an order's status comes from one table (``outposts.statuses``): for every status the
Outposts model knows, and for one it does not (a status added to the API after this release), diff, delete and
``outposts-orders review`` give the same answer: refuse, cancel, or forget."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from pulumi_outposts_orders._tokens import ORDER_TYPE
from pulumi_outposts_orders.aws import clients as _clients
from pulumi_outposts_orders.aws import settings as _aws
from pulumi_outposts_orders.aws.errors import OrderError
from pulumi_outposts_orders.aws.model import service_model
from pulumi_outposts_orders.emulator.testing import ACCOUNT_ID, RunningEmulator, boto3_env
from pulumi_outposts_orders.outposts import order_provider
from pulumi_outposts_orders.outposts.lookups import Lookups
from pulumi_outposts_orders.outposts.order_provider import OutpostOrderProvider
from pulumi_outposts_orders.outposts.statuses import LINE_ITEM_STAGES, LINE_ITEM_STOPPED, ON_DELETE
from pulumi_outposts_orders.review import rows

OUTPOST = "op-0123456789abcdef0"
ITEMS = [{"catalog_item_id": "OR-A1B2C3D", "quantity": 1}]
MODEL_STATUSES = sorted(service_model().shape_for("OrderStatus").enum)
NEWER_STATUS = "AWAITING_SITE_SURVEY"
# What GetOrder reports today (and the emulator can be set to); the model's other statuses are deprecated.
REPORTED = ("PREPARING", "IN_PROGRESS", "DELIVERED", "COMPLETED", "CANCELLED", "ERROR")


def declared(**changes: Any) -> dict[str, Any]:
    return {"outpost_identifier": OUTPOST, "line_items": ITEMS, "payment_option": "ALL_UPFRONT",
            "region": "us-east-1", "__provider": "serialized", **changes}


def recorded(order_id: str, status: str) -> dict[str, Any]:
    return {**declared(), "order_id": order_id, "status": status, "account_id": ACCOUNT_ID}


def diff_answer(status: str) -> str:
    """What a change that replaces the order does at preview."""
    more = [{"catalog_item_id": "OR-ABCDEFG", "quantity": 3}]
    try:
        result = OutpostOrderProvider().diff("oo-0123456789abcdef0", recorded("oo-0123456789abcdef0", status),
                                             declared(line_items=more))
    except OrderError as refused:
        assert "can no longer be cancelled" in str(refused)
        return "refuse"
    assert result.replaces == ["line_items"]
    return "replace"


def review_answer(status: str) -> str:
    """What the review's row says the same replacement does."""
    urn = f"urn:pulumi:dev::infra::{ORDER_TYPE}::rack"
    old = {"urn": urn, "type": ORDER_TYPE, "id": "oo-0123456789abcdef0", "inputs": declared(),
           "outputs": recorded("oo-0123456789abcdef0", status)}
    new = {"urn": urn, "type": ORDER_TYPE, "inputs": declared(line_items=[{"catalog_item_id": "OR-ABCDEFG",
                                                                           "quantity": 3}])}
    [row] = rows({"steps": [{"op": "replace", "urn": urn, "oldState": old, "newState": new}]},
                 Lookups(_aws.StackAwsConfig()))
    text = " ".join(message for _, message in row.warnings)
    if row.change == "**REPLACE: will be refused**":
        return "refuse"
    assert row.change == "**REPLACE**"
    return "forget" if "is history and is forgotten" in text else "cancel"


def delete_answer(emulator: RunningEmulator, status: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """What `pulumi destroy` does with an order AWS reports in ``status``."""
    aws = boto3.client("outposts", region_name="us-east-1")
    order_id = aws.create_order(OutpostIdentifier=OUTPOST, PaymentOption="ALL_UPFRONT",
                                LineItems=[{"CatalogItemId": "OR-A1B2C3D", "Quantity": 1}])["Order"]["OrderId"]
    if status in REPORTED:
        emulator.admin.force_order_status(order_id, status)
    else:  # deprecated or newer than this release: the status reaches delete through its finder
        found = order_provider._find_tracked

        def newer(target: Any, id_: str, what: str) -> dict[str, Any]:
            return {**found(target, id_, what), "Status": status}

        monkeypatch.setattr(order_provider, "_find_tracked", newer)
    emulator.admin.reset_calls()
    try:
        OutpostOrderProvider().delete(order_id, recorded(order_id, status))
    except OrderError as refused:
        assert f"is {status} and can no longer be cancelled" in str(refused)
        answer = "refuse"
    else:
        answer = "cancel" if emulator.admin.calls().get("CancelOrder") else "forget"
    if answer != "cancel":
        assert not emulator.admin.calls().get("CancelOrder")
    return answer


@pytest.mark.parametrize("status", [*MODEL_STATUSES, NEWER_STATUS])
def test_diff_delete_and_review_give_one_answer_for_every_status(
    status: str, emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in boto3_env(emulator.endpoint, base={}).items():
        monkeypatch.setenv(key, value)
    _clients.clear_clients()
    deleted = delete_answer(emulator, status, monkeypatch)
    replaced = diff_answer(status)
    reviewed = review_answer(status)
    assert replaced == ("refuse" if deleted == "refuse" else "replace")
    assert reviewed == deleted
    if status == NEWER_STATUS:
        assert deleted == "refuse"  # in flight until proven otherwise: never cancelled, never forgotten


def test_the_tables_name_every_status_of_the_model_and_nothing_else() -> None:
    assert set(ON_DELETE) == set(MODEL_STATUSES)
    line_item_statuses = set(service_model().shape_for("LineItemStatus").enum)
    assert set(LINE_ITEM_STAGES) | LINE_ITEM_STOPPED | {"REPLACED"} == line_item_statuses
