"""SQLite state: restarts lose nothing; concurrent requests are all served, each exactly once."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from botocore.config import Config

from pulumi_outposts_orders.emulator.clock import DAY, Clock
from pulumi_outposts_orders.emulator.outposts import seed
from pulumi_outposts_orders.emulator.store import Store
from pulumi_outposts_orders.emulator.testing import RunningEmulator

from .conftest import client_of
from .helpers import order


def test_a_restart_with_a_file_database_keeps_every_order(emulator: RunningEmulator, fresh: Any) -> None:
    created = [order(fresh, quantity=n) for n in range(1, 6)]
    fresh.cancel_order(OrderId=created[0]["OrderId"])
    fresh.create_order(OutpostIdentifier=seed.RACK_OUTPOST_ID, QuoteIdentifier=seed.QUOTE_ID,
                       QuoteOptionIdentifier=seed.QUOTE_OPTION_IDS[0], PaymentOption="ALL_UPFRONT")
    emulator.admin.advance_days(4)
    before = {o["OrderId"]: o for o in fresh.list_orders()["Orders"]}
    quote = fresh.get_quote(QuoteIdentifier=seed.QUOTE_ID)["Quote"]
    port = emulator.port

    emulator.restart()
    assert emulator.port == port
    after = client_of(emulator)
    assert {o["OrderId"]: o for o in after.list_orders()["Orders"]} == before
    assert after.get_quote(QuoteIdentifier=seed.QUOTE_ID)["Quote"] == quote  # not seeded again
    assert after.get_order(OrderId=created[1]["OrderId"])["Order"]["Status"] == "IN_PROGRESS"  # clock kept
    assert after.get_order(OrderId=created[0]["OrderId"])["Order"]["Status"] == "CANCELLED"


def test_100_concurrent_create_and_get_calls_make_exactly_100_orders(emulator: RunningEmulator) -> None:
    client = client_of(emulator, Config(max_pool_connections=100, retries={"total_max_attempts": 1}))

    def create_then_get(n: int) -> tuple[str, str]:
        created = order(client, quantity=n % 5 + 1)
        return created["OrderId"], client.get_order(OrderId=created["OrderId"])["Order"]["OrderId"]

    with ThreadPoolExecutor(max_workers=100) as pool:
        results = list(pool.map(create_then_get, range(100)))
    assert all(created == got for created, got in results)
    assert len({created for created, _ in results}) == 100
    listed = [o["OrderId"] for p in client.get_paginator("list_orders").paginate() for o in p["Orders"]]
    assert sorted(listed) == sorted(created for created, _ in results)
    assert emulator.admin.calls() == {"CreateOrder": 100, "GetOrder": 100, "ListOrders": 1}


def test_store_transactions_roll_back_on_errors(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "nested" / "state.db"))
    with store.transaction() as tx:
        tx.put("order", "a", {"n": 1}, parent="p")
    try:
        with store.transaction() as tx:
            tx.put("order", "b", {"n": 2})
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    with store.transaction() as tx:
        assert [d["n"] for d in tx.all("order")] == [1]
        tx.put("order", "a", {"n": 3}, parent="p")
        assert tx.all("order", parent="p") == [{"n": 3}] and tx.count("order") == 1
        assert tx.delete("order", "a") and not tx.delete("order", "a")
    store.close()


class SteppedWall:
    """A wall clock that a test sets by hand (to step it back, as NTP may)."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_the_simulated_clock_is_wall_time_plus_an_offset_that_only_grows() -> None:
    store, wall = Store(":memory:"), SteppedWall(1_800_000_000.0)
    clock = Clock(wall=wall)
    with store.transaction() as tx:
        assert clock.now(tx) == wall.now
        wall.now += 5
        assert clock.now(tx) == 1_800_000_005.0
        assert clock.advance(tx, 2) == 1_800_000_005.0 + 2 * DAY
        wall.now -= 60  # a step back of the wall clock: simulated time stays put, then goes on
        assert clock.now(tx) == 1_800_000_005.0 + 2 * DAY
        wall.now += 70
        assert clock.now(tx) == 1_800_000_015.0 + 2 * DAY
    fast = Clock(speed_days_per_second=1000.0, wall=wall)
    with store.transaction() as tx:
        assert fast.now(tx) > wall.now + 2 * DAY


@pytest.mark.parametrize(("frozen_ahead_days", "offset_days"), [(5.0, 5.0), (-100.0, 0.0)])
def test_a_database_with_a_frozen_clock_keeps_only_how_far_it_was_ahead(
    frozen_ahead_days: float, offset_days: float
) -> None:
    store, wall = Store(":memory:"), SteppedWall(1_800_000_000.0)
    with store.transaction() as tx:
        tx.set_setting("clock.now", repr(wall.now + frozen_ahead_days * DAY))
        assert Clock(wall=wall).now(tx) == pytest.approx(wall.now + offset_days * DAY)


def test_orders_are_dated_at_wall_time_plus_the_offset_across_a_restart(emulator: RunningEmulator,
                                                                        fresh: Any) -> None:
    time.sleep(1.5)  # the emulator has run a while: its clock must have moved with the wall clock
    before = time.time()
    submitted = order(fresh)["OrderSubmissionDate"].timestamp()
    assert before - 0.5 <= submitted <= time.time() + 0.5
    emulator.admin.advance_days(2)
    before = time.time()
    submitted = order(fresh)["OrderSubmissionDate"].timestamp()
    assert before + 2 * DAY - 0.5 <= submitted <= time.time() + 2 * DAY + 0.5
    emulator.restart()
    before = time.time()
    submitted = order(client_of(emulator))["OrderSubmissionDate"].timestamp()
    assert before + 2 * DAY - 0.5 <= submitted <= time.time() + 2 * DAY + 0.5


def test_speed_moves_simulated_time_while_the_emulator_runs() -> None:
    with RunningEmulator(args=["--speed", "20"]) as running:  # 20 simulated days per real second
        client = client_of(running)
        created = order(client)
        time.sleep(0.3)
        assert client.get_order(OrderId=created["OrderId"])["Order"]["Status"] != "PREPARING"  # >= 6 days on
