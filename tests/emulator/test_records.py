"""The emulator's records read and write the stored form earlier versions wrote, so their databases open.

The documents below are what the emulator stored before records existed (API members plus the
emulator's own under ``_`` names); they load, dump back to the same JSON, and serve the API.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pulumi_outposts_orders.emulator.clock import Clock
from pulumi_outposts_orders.emulator.domain import Service, Settings
from pulumi_outposts_orders.emulator.outposts import operations, seed
from pulumi_outposts_orders.emulator.outposts.records import CATALOG_ITEM, ORDER, QUOTE, CatalogItem, Order, Quote
from pulumi_outposts_orders.emulator.store import Store

NOW = 1_750_000_000.0
LEGACY_ORDER: dict[str, Any] = {
    "OrderId": "oo-0123456789abcdef0", "OutpostId": seed.RACK_OUTPOST_ID, "OrderType": "OUTPOST",
    "PaymentOption": "ALL_UPFRONT",
    "LineItems": [{"CatalogItemId": seed.RACK_CATALOG_ITEM_ID, "Quantity": 2, "LineItemId": "ooi-0123456789abcdef0"}],
    "OrderSubmissionDate": NOW, "_HardwareType": "RACK", "_InstanceFamilies": ["m5"],
    "_Anchor": {"day": 0.0, "at": NOW}, "PaymentTerm": "THREE_YEARS",
}
"""An order stored before accounts existed: no ``_AccountId`` (it is the seed account's)."""
LEGACY_QUOTE_ORDER: dict[str, Any] = {
    "OrderId": "oo-0fedcba9876543210", "OutpostId": seed.RACK_OUTPOST_ID, "OrderType": "OUTPOST",
    "PaymentOption": "NO_UPFRONT", "LineItems": [{"Quantity": 1, "LineItemId": "ooi-0fedcba9876543210"}],
    "OrderSubmissionDate": NOW, "_HardwareType": "RACK", "_InstanceFamilies": [],
    "_Anchor": {"day": 14.0, "at": NOW, "status": "CANCELLED"}, "_AccountId": seed.ACCOUNT_ID,
    "QuoteIdentifier": seed.QUOTE_ID, "QuoteOptionIdentifier": seed.QUOTE_OPTION_IDS[0],
}


def test_stored_documents_load_and_dump_unchanged(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "emulator.db"))
    service = Service(store, Clock(), Settings(seed.ACCOUNT_ID), operations.OPERATIONS)
    seed.seed(service)
    with store.transaction() as tx:
        stored_quote, stored_item = tx.get(QUOTE, seed.QUOTE_ID), tx.get(CATALOG_ITEM, seed.RACK_CATALOG_ITEM_ID)
    assert stored_quote is not None and stored_item is not None
    assert stored_item["_ItemClass"] == "RACK" and "_LineItems" in stored_quote["QuoteOptions"][0]
    for record, document in ((Order, LEGACY_ORDER), (Order, LEGACY_QUOTE_ORDER), (Quote, stored_quote),
                             (CatalogItem, stored_item)):
        assert record.load(document).dump() == document


def test_a_database_of_earlier_versions_serves_its_orders(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "emulator.db"))
    service = Service(store, Clock(), Settings(seed.ACCOUNT_ID), operations.OPERATIONS)
    seed.seed(service)
    with store.transaction() as tx:
        for order in (LEGACY_ORDER, LEGACY_QUOTE_ORDER):
            tx.put(ORDER, order["OrderId"], order, parent=order["OutpostId"])
    got = service.call("GetOrder", {"OrderId": LEGACY_ORDER["OrderId"]}, "us-east-1")["Order"]
    assert got["Status"] == "COMPLETED" and got["LineItems"][0]["Status"] == "INSTALLED"  # long past day 21
    assert got["LineItems"][0]["CatalogItemId"] == seed.RACK_CATALOG_ITEM_ID and got["PaymentTerm"] == "THREE_YEARS"
    assert not [key for key in got if key.startswith("_")]
    cancelled = service.call("GetOrder", {"OrderId": LEGACY_QUOTE_ORDER["OrderId"]}, "us-east-1")["Order"]
    assert cancelled["Status"] == "CANCELLED" and cancelled["QuoteIdentifier"] == seed.QUOTE_ID
    listed = service.call("ListOrders", {}, "us-east-1")["Orders"]
    assert {o["OrderId"] for o in listed} == {LEGACY_ORDER["OrderId"], LEGACY_QUOTE_ORDER["OrderId"]}
