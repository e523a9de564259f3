"""API responses as snake_case outputs; API member paths as property paths; the delete table."""

from __future__ import annotations

import datetime

from pulumi_outposts_orders.aws.model import service_model
from pulumi_outposts_orders.outposts.shapes import flatten_order, iso_utc, property_path
from pulumi_outposts_orders.outposts.statuses import ON_DELETE, OnDelete


def test_order_response_becomes_snake_case_outputs_with_iso_dates() -> None:
    order = {
        "OrderId": "oo-0123456789abcdef0",
        "OutpostId": "op-0123456789abcdef0",
        "Status": "DELIVERED",
        "OrderSubmissionDate": datetime.datetime(
            2026, 6, 15, 12, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=2))
        ),
        "LineItems": [
            {
                "LineItemId": "ooi-0123456789abcdef0",
                "CatalogItemId": "OR-ABCDEFG",
                "Quantity": 1,
                "Status": "DELIVERED",
                "ShipmentInformation": {
                    "ShipmentTrackingNumber": "1Z999AA10123456784",
                    "ShipmentCarrier": "UPS",
                },
                "AssetInformationList": [{"AssetId": "asset1", "MacAddressList": ["0A:1B:2C:3D:4E:5F"]}],
            }
        ],
    }
    flat = flatten_order(order)
    assert flat["order_id"] == "oo-0123456789abcdef0"
    assert flat["order_submission_date"] == "2026-06-15T10:30:00Z"
    assert flat["order_fulfilled_date"] is None
    assert flat["line_items"] == [
        {
            "catalog_item_id": "OR-ABCDEFG",
            "line_item_id": "ooi-0123456789abcdef0",
            "quantity": 1,
            "status": "DELIVERED",
            "shipment_information": {
                "shipment_tracking_number": "1Z999AA10123456784",
                "shipment_carrier": "UPS",
            },
            "asset_information_list": [{"asset_id": "asset1", "mac_address_list": ["0A:1B:2C:3D:4E:5F"]}],
            "previous_line_item_id": None,
            "previous_order_id": None,
        }
    ]
    assert set(flat) >= {"quote_identifier", "quote_option_identifier", "payment_term", "order_type"}


def test_naive_timestamps_are_taken_as_utc() -> None:
    assert iso_utc(datetime.datetime(2026, 1, 2, 3, 4, 5)) == "2026-01-02T03:04:05Z"


def test_api_paths_become_property_paths() -> None:
    assert property_path("LineItems[12].CatalogItemId") == "line_items[12].catalog_item_id"
    assert property_path("OutpostIdentifier") == "outpost_identifier"


def test_every_order_status_has_a_delete_action_and_unknown_ones_are_refused() -> None:
    statuses = service_model().shape_for("OrderStatus").enum
    assert set(ON_DELETE) == set(statuses)
    assert {s for s, a in ON_DELETE.items() if a is OnDelete.FORGET} >= {"CANCELLED", "COMPLETED", "ERROR"}
    assert ON_DELETE["PREPARING"] is OnDelete.CANCEL
    assert ON_DELETE["IN_PROGRESS"] is ON_DELETE["DELIVERED"] is OnDelete.REFUSE
