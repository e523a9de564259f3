"""Injected faults: latency, throttling, server errors, and responses dropped after the commit."""

from __future__ import annotations

import time
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ConnectionClosedError
from botocore.retries.standard import RetryContext, ThrottledRetryableChecker

from pulumi_outposts_orders.emulator.outposts import seed
from pulumi_outposts_orders.emulator.testing import RunningEmulator

from .conftest import client_of
from .helpers import error_of, order


def test_latency_delays_only_the_named_operation(live: RunningEmulator, outposts: Any) -> None:
    live.admin.set_faults({"GetOutpost": {"latency_ms": 300}})
    started = time.monotonic()
    outposts.get_outpost(OutpostId=seed.RACK_OUTPOST_ID)
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    outposts.list_sites()
    assert time.monotonic() - started < 0.3


def test_throttling_is_a_429_that_botocore_treats_as_throttling(live: RunningEmulator, outposts: Any) -> None:
    live.admin.set_faults({"*": {"throttle_rate": 1.0}})
    error = error_of(outposts.list_sites)
    assert (error["Code"], error["HTTPStatusCode"]) == ("ThrottlingException", 429)
    context = RetryContext(attempt_number=1, parsed_response={"Error": error})
    assert ThrottledRetryableChecker().is_retryable(context)
    retrying = client_of(live, Config(retries={"mode": "standard", "total_max_attempts": 2}))
    live.admin.reset_calls()
    error_of(retrying.list_sites)
    assert live.admin.calls() == {"ListSites": 2}


def test_error_rate_gives_internal_server_errors_and_commits_nothing(live: RunningEmulator, outposts: Any) -> None:
    before = _order_count(outposts)
    live.admin.set_faults({"CreateOrder": {"error_rate": 1.0}})
    error = error_of(order, client=outposts)
    assert (error["Code"], error["HTTPStatusCode"]) == ("InternalServerException", 500)
    live.admin.clear_faults()
    assert _order_count(outposts) == before


def test_rates_come_from_a_seeded_generator_so_runs_repeat(live: RunningEmulator, outposts: Any) -> None:
    def run() -> list[bool]:
        live.admin.set_faults({"ListSites": {"throttle_rate": 0.5}})
        outcomes = []
        for _ in range(20):
            try:
                outposts.list_sites()
                outcomes.append(True)
            except outposts.exceptions.ClientError:
                outcomes.append(False)
        return outcomes

    first = run()
    assert 0 < sum(first) < 20
    assert run() == first


def test_a_dropped_response_is_a_connection_error_after_the_order_was_committed(
    live: RunningEmulator, outposts: Any
) -> None:
    before = _order_count(outposts)
    live.admin.set_faults({"CreateOrder": {"drop_response_after_commit": 1}})
    with pytest.raises(ConnectionClosedError):
        order(outposts)
    assert _order_count(outposts) == before + 1
    assert live.admin.faults() == {"CreateOrder": {"drop_response_after_commit": 0}}
    order(outposts)  # the next call is answered
    assert _order_count(outposts) == before + 2


def test_a_naive_retrying_client_orders_twice(live: RunningEmulator) -> None:
    retrying = client_of(live, Config(retries={"mode": "standard", "total_max_attempts": 3}))
    before = _order_count(retrying)
    live.admin.set_faults({"CreateOrder": {"drop_response_after_commit": 1}})
    order(retrying)
    assert _order_count(retrying) == before + 2


def test_invalid_fault_settings_are_refused(live: RunningEmulator) -> None:
    for settings in ({"NoSuchOperation": {"latency_ms": 1}}, {"*": {"throttle_rate": 2}},
                     {"*": {"colour": 1}}, {"*": {"drop_response_after_commit": 0.5}}):
        with pytest.raises(RuntimeError, match="400"):
            live.admin.set_faults(settings)
    assert live.admin.faults() == {}


def test_admin_calls_are_not_counted(live: RunningEmulator, outposts: Any) -> None:
    outposts.list_sites()
    live.admin.faults()
    live.admin.now()
    assert live.admin.calls() == {"ListSites": 1}
    live.admin.reset_calls()
    assert live.admin.calls() == {}


def _order_count(client: Any) -> int:
    return sum(len(page["Orders"]) for page in client.get_paginator("list_orders").paginate())
