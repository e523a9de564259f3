"""In-process checks of the emulator's pure parts: routing, wire parsing, pagination, faults."""

from __future__ import annotations

import re

import pytest

from pulumi_outposts_orders.aws.model import service_model
from pulumi_outposts_orders.emulator.errors import ApiError
from pulumi_outposts_orders.emulator.faults import Faults
from pulumi_outposts_orders.emulator.outposts import protocol, routes
from pulumi_outposts_orders.emulator.outposts.paging import paginate

ENCODED_ARN = "arn%3Aaws%3Aoutposts%3Aus-east-1%3A123456789012%3Aoutpost%2Fop-1"
"""A label as botocore sends it: percent-encoded, slash included."""


@pytest.mark.parametrize("name", service_model().operation_names)
def test_every_operation_of_the_model_routes_to_itself(name: str) -> None:
    operation = service_model().operation_model(name)
    path = re.sub(r"\{\w+\+?\}", ENCODED_ARN, operation.http["requestUri"])
    found, labels = routes.match(operation.http["method"], path.split("?")[0])
    assert found.name == name
    assert all(value.endswith(":outpost/op-1") for value in labels.values())


def test_unknown_routes_raise() -> None:
    with pytest.raises(ApiError) as caught:
        routes.match("PUT", "/orders")
    assert (caught.value.code, caught.value.status) == ("UnknownOperationException", 404)


def test_parse_request_reads_each_member_from_its_location() -> None:
    operation = service_model().operation_model("ListAssets")
    params = protocol.parse_request(operation, {"OutpostId": "op-1"},
                                    {"StatusFilter": ["ACTIVE", "RETIRING"], "MaxResults": ["7"]}, {}, b"")
    assert params == {"OutpostIdentifier": "op-1", "StatusFilter": ["ACTIVE", "RETIRING"], "MaxResults": 7}
    assert protocol.parse_request(operation, {}, {"MaxResults": ["many"]}, {}, b"")["MaxResults"] == "many"


def test_paginate_issues_and_checks_tokens() -> None:
    items = list(range(5))
    page, more = paginate("ListThings", items, {"MaxResults": 2})
    assert page == [0, 1] and re.fullmatch(r"\d+##\S+", more["NextToken"])
    page, more = paginate("ListThings", items, {"MaxResults": 2, "NextToken": more["NextToken"]})
    assert page == [2, 3]
    page, more = paginate("ListThings", items, {"MaxResults": 2, "NextToken": more["NextToken"]})
    assert page == [4] and more == {}
    with pytest.raises(ApiError, match="NextToken"):
        paginate("ListThings", items, {"NextToken": "2##forged"})


def test_an_operations_own_faults_win_over_the_wildcard() -> None:
    faults = Faults()
    faults.configure({"*": {"error_rate": 1.0, "latency_ms": 5}, "GetOrder": {"error_rate": 0.0}})
    assert faults.decide("GetOrder").error is False and faults.decide("GetOrder").latency_s == 0.005
    assert faults.decide("ListOrders").error is True
    faults.configure({"*": {"drop_response_after_commit": 2}})
    assert [faults.decide(op).drop for op in ("GetOrder", "ListOrders", "GetOrder")] == [True, True, False]


def test_the_coverage_table_names_every_operation_of_the_model() -> None:
    from pulumi_outposts_orders import emulator
    from pulumi_outposts_orders.emulator.outposts.operations import OPERATIONS

    table = (emulator.__doc__ or "").split("Coverage:")[1].split("Modules:")[0]
    rows = [line for line in table.splitlines()[3:] if line.startswith("  ") and "====" not in line]
    said: dict[str, str] = {}
    verdict = ""
    for row in rows:
        verdict = row[50:65].strip() or verdict  # a row without one continues the row above
        said.update(dict.fromkeys(re.findall(r"\b[A-Z][A-Za-z]+\b", row[:50]), verdict))
    assert set(said) == set(service_model().operation_names)
    assert {name for name, verdict in said.items() if verdict == "yes"} == set(OPERATIONS)
    assert f"{len(OPERATIONS)} of the service model's {len(service_model().operation_names)}" in table
