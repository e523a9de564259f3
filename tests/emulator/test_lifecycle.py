"""The order lifecycle over simulated days, forced states, and the schedule as data.

These tests share the session's emulator: each follows its own orders, which are timed from their
own submission, so moving the shared clock does not disturb other tests.
"""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_outposts_orders.emulator.clock import DAY
from pulumi_outposts_orders.emulator.outposts import lifecycle, seed
from pulumi_outposts_orders.emulator.testing import RunningEmulator

from .helpers import order


def statuses(client: Any, order_id: str) -> tuple[str, list[str]]:
    got = client.get_order(OrderId=order_id)["Order"]
    return got["Status"], [item["Status"] for item in got["LineItems"]]


def test_an_order_follows_the_schedule_as_the_admin_clock_moves(live: RunningEmulator, outposts: Any) -> None:
    created = order(outposts, quantity=2)
    order_id, elapsed = created["OrderId"], 0.0
    for stage in lifecycle.SCHEDULE:
        live.admin.advance_days(stage.day - elapsed)
        elapsed = stage.day
        assert statuses(outposts, order_id) == (stage.order, [stage.line_items])
        got = outposts.get_order(OrderId=order_id)["Order"]
        (item,) = got["LineItems"]
        if stage.day >= lifecycle.BUILT_DAY:
            assert item["ShipmentInformation"]["ShipmentCarrier"] == "EXPEDITORS"
            assert item["ShipmentInformation"]["ShipmentTrackingNumber"].isalnum()
            assert len(item["AssetInformationList"]) == 2
            assert all(len(a["MacAddressList"]) == 2 for a in item["AssetInformationList"])
        else:
            assert "ShipmentInformation" not in item and "AssetInformationList" not in item
        assert ("OrderFulfilledDate" in got) == (stage.order == "COMPLETED")
    fulfilled = outposts.get_order(OrderId=order_id)["Order"]["OrderFulfilledDate"]
    assert (fulfilled - created["OrderSubmissionDate"]).total_seconds() == pytest.approx(21 * DAY, abs=1)
    live.admin.advance_days(100)
    assert statuses(outposts, order_id)[0] == "COMPLETED"


def test_built_hardware_appears_in_list_assets(live: RunningEmulator, outposts: Any) -> None:
    created = order(outposts, outpost=seed.SERVER_OUTPOST_ID, item=seed.SERVER_CATALOG_ITEM_ID, quantity=3)
    before = _asset_ids(outposts)
    live.admin.advance_days(lifecycle.BUILT_DAY)
    after = _asset_ids(outposts)
    got = outposts.get_order(OrderId=created["OrderId"])["Order"]["LineItems"][0]
    built = {a["AssetId"] for a in got["AssetInformationList"]}
    assert len(built) == 3 and built <= set(after) and not built & set(before)
    assert {after[a] for a in built} == {"INSTALLING"}
    assert got["ShipmentInformation"]["ShipmentCarrier"] in {"UPS", "FEDEX", "DHL", "DBS"}
    live.admin.advance_days(30)
    active = _asset_ids(outposts, StatusFilter=["ACTIVE"])
    assert built <= set(active)


def _asset_ids(client: Any, **params: Any) -> dict[str, str]:
    """Asset ID -> compute state, over every page."""
    pages = client.get_paginator("list_assets").paginate(OutpostIdentifier=seed.SERVER_OUTPOST_ID, **params)
    return {a["AssetId"]: a["ComputeAttributes"]["State"] for page in pages for a in page["Assets"]}


def test_forced_error_is_final(live: RunningEmulator, outposts: Any) -> None:
    order_id = order(outposts)["OrderId"]
    assert live.admin.force_order_status(order_id, "ERROR") == {"OrderId": order_id, "Status": "ERROR"}
    live.admin.advance_days(30)
    assert statuses(outposts, order_id) == ("ERROR", ["ERROR"])


def test_a_forced_status_continues_along_the_schedule(live: RunningEmulator, outposts: Any) -> None:
    order_id = order(outposts)["OrderId"]
    live.admin.force_order_status(order_id, "DELIVERED")
    assert statuses(outposts, order_id) == ("DELIVERED", ["DELIVERED"])
    live.admin.advance_days(3)
    assert statuses(outposts, order_id) == ("DELIVERED", ["INSTALLING"])
    live.admin.advance_days(4)
    assert statuses(outposts, order_id) == ("COMPLETED", ["INSTALLED"])


def test_admin_refuses_unknown_statuses_and_orders(live: RunningEmulator, outposts: Any) -> None:
    order_id = order(outposts)["OrderId"]
    with pytest.raises(RuntimeError, match="400"):
        live.admin.force_order_status(order_id, "RECEIVED")
    with pytest.raises(RuntimeError, match="404"):
        live.admin.force_order_status("oo-00000000000000000", "ERROR")
    with pytest.raises(RuntimeError, match="400"):
        live.admin.advance_days(-1)


def test_position_and_force_as_pure_functions() -> None:
    anchor = lifecycle.start(1000.0)
    assert lifecycle.position(anchor, 1000.0 + 2.9 * DAY).order_status == "PREPARING"
    assert lifecycle.position(anchor, 1000.0 + 3 * DAY).line_item_status == "BUILDING"
    assert lifecycle.is_open(anchor, 1000.0 + 20 * DAY)
    assert not lifecycle.is_open(anchor, 1000.0 + 21 * DAY)
    cancelled = lifecycle.force(anchor, "CANCELLED", 1000.0 + DAY)
    assert lifecycle.position(cancelled, 1e12) == lifecycle.Position(1.0, "CANCELLED", "CANCELLED", None)
    completed = lifecycle.force(anchor, "COMPLETED", 5000.0)
    assert lifecycle.position(completed, 5000.0).fulfilled_at == 5000.0
    with pytest.raises(ValueError, match="PENDING"):
        lifecycle.force(anchor, "PENDING", 0.0)
