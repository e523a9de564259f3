"""Edges of the wire types: out-of-range numbers, special floats, strict JSON, the size of an order."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pulumi_outposts_orders.emulator.outposts import lifecycle, seed
from pulumi_outposts_orders.emulator.testing import RunningEmulator

from .conftest import client_of
from .helpers import error_of, order
from .test_orders import UNVALIDATED
from .test_wire import SIGNED, raw

FLOAT32_MAX = 3.4028234663852886e38


def strict_json(body: bytes) -> Any:
    """Parse as JSON proper: a bare NaN or Infinity token fails, as it does in Go or JavaScript."""
    def refuse(token: str) -> Any:
        raise ValueError(f"non-JSON token {token}")

    return json.loads(body, parse_constant=refuse)


def quote_request(quantity: Any) -> dict[str, Any]:
    return {"CountryCode": "US", "OutpostIdentifier": seed.RACK_OUTPOST_ID,
            "RequestedCapacities": [{"QuoteCapacityType": "EC2", "Unit": "m5.24xlarge", "Quantity": quantity}]}


def test_a_quantity_beyond_32_bits_is_refused_naming_the_member(live: RunningEmulator) -> None:
    client = client_of(live, UNVALIDATED)
    error = error_of(client.create_order, OutpostIdentifier=seed.RACK_OUTPOST_ID, PaymentOption="ALL_UPFRONT",
                     LineItems=[{"CatalogItemId": seed.RACK_CATALOG_ITEM_ID, "Quantity": 2**31}])
    assert (error["Code"], error["HTTPStatusCode"]) == ("ValidationException", 400)
    assert "LineItems[0].Quantity must be <= 2147483647: it travels as a 32-bit integer" in error["Message"]
    assert "[range]" in error["Message"]


@pytest.mark.parametrize("quantity", [1e308, -1e39])
def test_a_capacity_beyond_a_32_bit_float_is_refused_naming_the_member(live: RunningEmulator, quantity: float) -> None:
    error = error_of(client_of(live, UNVALIDATED).create_quote, **quote_request(quantity))
    assert (error["Code"], error["HTTPStatusCode"]) == ("ValidationException", 400)
    assert "RequestedCapacities[0].Quantity" in error["Message"] and "32-bit float" in error["Message"]


def test_a_capacity_whose_two_unit_option_would_overflow_is_refused(outposts: Any, live: RunningEmulator) -> None:
    error = error_of(outposts.create_quote, **quote_request(3e38))
    assert error["Code"] == "ValidationException" and "RequestedCapacities[0].Quantity" in error["Message"]
    assert "too large to quote" in error["Message"]
    status, _, body = raw(live.endpoint, "POST", "/quotes", json.dumps(quote_request(1.7e38)).encode(), SIGNED)
    assert status == 200
    quantities = [c["Quantity"] for o in body["Quote"]["QuoteOptions"] for c in o["Capacities"]]
    assert quantities == [1.7e38, 3.4e38] and max(quantities) <= FLOAT32_MAX


@pytest.mark.parametrize("special", ["NaN", "Infinity", "-Infinity"])
def test_special_floats_as_strings_are_read_as_floats_then_refused_as_not_finite(
    live: RunningEmulator, special: str
) -> None:
    body = json.dumps(quote_request(special)).encode()
    status, headers, answer = raw(live.endpoint, "POST", "/quotes", body, SIGNED)
    assert (status, headers["x-amzn-ErrorType"]) == (400, "ValidationException")
    assert "RequestedCapacities[0].Quantity must be a finite number" in answer["message"]
    assert "[finite]" in answer["message"] and "must be a number" not in answer["message"]


def test_a_special_float_string_where_a_string_is_expected_stays_a_string(live: RunningEmulator) -> None:
    request = quote_request(4.0)
    request["RequestedCapacities"][0]["Unit"] = "NaN"
    status, _, body = raw(live.endpoint, "POST", "/quotes", json.dumps(request).encode(), SIGNED)
    assert status == 200 and body["Quote"]["RequestedCapacities"][0]["Unit"] == "NaN"


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
def test_bare_non_json_tokens_in_a_request_are_refused(live: RunningEmulator, token: str) -> None:
    body = json.dumps(quote_request(1.0)).replace("1.0", token).encode()
    status, _, answer = raw(live.endpoint, "POST", "/quotes", body, SIGNED)
    assert status == 400 and "not valid JSON" in answer["message"] and token in answer["message"]


def test_an_order_is_capped_at_100_units_and_a_full_one_reads_back_whole(emulator: RunningEmulator,
                                                                        fresh: Any) -> None:
    error = error_of(order, client=fresh, quantity=101)
    assert (error["Code"], error["HTTPStatusCode"]) == ("ValidationException", 400)
    assert "LineItems[0].Quantity brings the order to 101 units" in error["Message"]
    items = [{"CatalogItemId": seed.RACK_CATALOG_ITEM_ID, "Quantity": 60}] * 2
    error = error_of(fresh.create_order, OutpostIdentifier=seed.RACK_OUTPOST_ID, PaymentOption="ALL_UPFRONT",
                     LineItems=items)
    assert "LineItems[1].Quantity brings the order to 120 units" in error["Message"]
    created = order(fresh, quantity=100)
    emulator.admin.advance_days(lifecycle.SCHEDULE[3].day)  # DELIVERED: every unit is an asset
    got = fresh.get_order(OrderId=created["OrderId"])["Order"]
    assert got["Status"] == "DELIVERED" and len(got["LineItems"][0]["AssetInformationList"]) == 100


def test_the_unit_cap_is_a_setting() -> None:
    with RunningEmulator(args=["--max-units-per-order", "3"]) as running:
        client = client_of(running)
        assert "at most 3 units" in error_of(order, client=client, quantity=4)["Message"]
        assert order(client, quantity=3)["LineItems"][0]["Quantity"] == 3
