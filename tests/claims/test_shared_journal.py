"""Placing orders at most once across CI runners that share one claim store (``claims.shared``).

Each simulated runner has its own ``SharedJournal`` over its own ``S3Claims`` and boto3 S3 client; the only thing
the runners share is a real S3 server (moto, ``s3_server``), as separate machines share a bucket. Orders are placed
with real boto3 against the Outposts emulator and its injected faults, through the placement layer (no engine).
"""

from __future__ import annotations

import multiprocessing
import os
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from s3_server import s3_client, with_bucket

from pulumi_outposts_orders.aws import settings as _aws
from pulumi_outposts_orders.aws.errors import OrderError
from pulumi_outposts_orders.claims import journal as journal_module
from pulumi_outposts_orders.claims import shared
from pulumi_outposts_orders.claims.journal import Attempt, Journal, JournalError, scope_of
from pulumi_outposts_orders.claims.s3 import Location, S3Claims
from pulumi_outposts_orders.claims.shared import SharedJournal
from pulumi_outposts_orders.emulator.accounts import ACCOUNT_ID
from pulumi_outposts_orders.emulator.outposts import seed
from pulumi_outposts_orders.emulator.testing import RunningEmulator
from pulumi_outposts_orders.outposts.placement import place
from pulumi_outposts_orders.outposts.same_order import OrderSpec

BUCKET = "shared-journal-tests"
TARGET = _aws.Target(region="us-east-1", profile=None)
ORDER = {
    "OutpostIdentifier": seed.RACK_OUTPOST_ID,
    "LineItems": [{"CatalogItemId": seed.RACK_CATALOG_ITEM_ID, "Quantity": 1}],
    "PaymentOption": "ALL_UPFRONT",
    "PaymentTerm": "THREE_YEARS",
}
SPEC = OrderSpec.of_params(ORDER)
LOCKERS, LOCK_ROUNDS = 4, 25

Runner = Callable[[], SharedJournal]


@pytest.fixture(scope="module")
def endpoint(s3_endpoint: str) -> str:
    return with_bucket(s3_endpoint, BUCKET)


@pytest.fixture
def runner(endpoint: str, request: pytest.FixtureRequest) -> Runner:
    """A new CI runner: its own journal, store and S3 client, over this test's prefix of the shared bucket."""
    prefix = f"tests/{request.node.name}"
    scope = scope_of("emulator", TARGET.region, ACCOUNT_ID)
    return lambda: SharedJournal(S3Claims(Location(BUCKET, prefix), s3_client(endpoint)), scope)


def no_wait(_seconds: float) -> None:
    return None


def orders() -> list[str]:
    """The IDs of the live orders the customer sees."""
    client = boto3.client("outposts")
    return sorted(o["OrderId"] for page in client.get_paginator("list_orders").paginate() for o in page["Orders"]
                  if o["Status"] != "CANCELLED")


def dead_pid() -> int:
    gone = subprocess.Popen(["true"])
    gone.wait()
    return gone.pid


def left_sending(journal: SharedJournal, key: str, **fields: Any) -> Attempt:
    """The record a run leaves while it sends CreateOrder for ``key``, then rewritten in the store with ``fields``
    (another pid, another host, another lease), as that run would have written it."""
    journal.begin(key, SPEC, TARGET.region, known_before=())
    [name] = journal.store.names("attempts/")
    found = journal.store.read(name)
    assert found is not None
    journal.store.replace(name, {**found[0], **fields}, found[1])
    attempt = journal.get(key)
    assert attempt is not None and attempt.state == "sending"
    return attempt


@pytest.mark.parametrize("left_by", [
    {"pid": "dead"},
    # Its lease is judged by the store's clock (the record's last write), whatever time the record claims.
    {"host": "ci-runner-1", "pid": 4242, "alive_at": time.time() + 3600},
], ids=["dead-process-on-this-host", "expired-lease-on-another-host"])
def test_an_order_placed_by_a_killed_run_on_another_runner_is_adopted_without_ordering_again(
    aws: RunningEmulator, runner: Runner, left_by: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = runner(), runner()
    fields = {**left_by, "pid": dead_pid()} if left_by["pid"] == "dead" else left_by
    left_sending(first, "stack/rack", **fields)
    if "alive_at" in left_by:  # the lease runs out (shortened to keep the test short; LEASE_S is 30 s)
        monkeypatch.setattr(journal_module, "LEASE_S", 1.0)
        time.sleep(2.1)  # S3 times have whole seconds
    placed = boto3.client("outposts").create_order(**ORDER)["Order"]["OrderId"]  # committed; the runner died
    aws.admin.reset_calls()

    adopted = place(TARGET, ORDER, "stack/rack", journal=second, sleep=no_wait)

    assert adopted["OrderId"] == placed and orders() == [placed]
    assert aws.admin.calls().get("CreateOrder", 0) == 0
    record = first.get("stack/rack")
    assert record is not None and record.state == "placed" and record.order_id == placed
    assert first.claims("stack/other").get(placed) == "stack/rack"


@pytest.mark.parametrize("pid", [
    4242,
    "this process's",  # pids repeat across CI containers: the host and the process ID tell them apart
], ids=["other-pid", "same-pid-number"])
def test_an_attempt_whose_runner_still_renews_its_lease_is_not_touched(
    aws: RunningEmulator, runner: Runner, pid: int | str
) -> None:
    first, second = runner(), runner()
    pid = os.getpid() if isinstance(pid, str) else pid
    left_sending(first, "stack/rack", host="ci-runner-1", pid=pid, alive_at=time.time())
    placed = boto3.client("outposts").create_order(**ORDER)["Order"]["OrderId"]  # runner 1's, answer on its way
    aws.admin.reset_calls()

    with pytest.raises(OrderError, match=rf"another process \(pid {pid} on ci-runner-1\) is placing"):
        place(TARGET, ORDER, "stack/rack", journal=second, sleep=no_wait)

    assert orders() == [placed] and aws.admin.calls().get("CreateOrder", 0) == 0
    record = first.get("stack/rack")
    assert record is not None and record.state == "sending" and record.order_id is None


@pytest.mark.parametrize("fault", ["drop_response_after_commit", "error_after_commit"])
def test_a_lost_answer_beside_another_runners_identical_order_settles_each_on_its_own_order(
    aws: RunningEmulator, runner: Runner, fault: str
) -> None:
    second = runner()

    class SecondRunnerOrdersFirst(SharedJournal):
        """Runner 1's journal: just before it sends, runner 2 places and holds the same order (after the look
        that runner 1 made before sending, so only the store tells the two orders apart)."""

        def begin(self, key: str, spec: Any, region: str, known_before: tuple[str, ...] | None,
                  earlier: Attempt | None = None) -> Attempt:
            if second.get("stack-b/rack") is None:
                place(TARGET, ORDER, "stack-b/rack", journal=second, sleep=no_wait)
                aws.admin.set_faults({"CreateOrder": {fault: 1}})  # runner 1's answer is lost; its order commits
            return super().begin(key, spec, region, known_before, earlier)

    own = runner()
    first = SecondRunnerOrdersFirst(own.store, own.scope)
    mine = place(TARGET, ORDER, "stack-a/rack", journal=first, sleep=no_wait)

    theirs = second.get("stack-b/rack")
    assert theirs is not None and theirs.order_id is not None and theirs.order_id != mine["OrderId"]
    assert orders() == sorted([mine["OrderId"], theirs.order_id])
    assert aws.admin.calls()["CreateOrder"] == 2  # one each: runner 1 did not order again
    holders = {order_id: second.claims("nobody").get(order_id) for order_id in orders()}
    assert holders == {mine["OrderId"]: "stack-a/rack", theirs.order_id: "stack-b/rack"}


def test_a_second_identical_order_is_placed_when_the_first_is_held_in_the_shared_store(
    aws: RunningEmulator, runner: Runner
) -> None:
    first = place(TARGET, ORDER, "stack-a/rack", journal=runner(), sleep=no_wait)["OrderId"]
    second = place(TARGET, ORDER, "stack-b/rack", journal=runner(), sleep=no_wait)["OrderId"]
    assert orders() == sorted([first, second]) and aws.admin.calls()["CreateOrder"] == 2


def test_with_separate_local_journals_a_second_identical_order_is_refused_naming_the_first(
    aws: RunningEmulator, tmp_path: Any
) -> None:
    first = place(TARGET, ORDER, "stack-a/rack", journal=Journal(tmp_path / "runner-1"), sleep=no_wait)["OrderId"]
    with pytest.raises(OrderError, match="already has one live order identical") as refused:
        place(TARGET, ORDER, "stack-b/rack", journal=Journal(tmp_path / "runner-2"), sleep=no_wait)
    assert first in str(refused.value) and "distinct_from_order_ids" in str(refused.value)
    assert orders() == [first] and aws.admin.calls()["CreateOrder"] == 1


def test_an_unreachable_store_fails_closed_naming_the_bucket(aws: RunningEmulator) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    journal = SharedJournal(S3Claims(Location(BUCKET, "team"), s3_client(f"http://127.0.0.1:{port}")), "scope")

    with pytest.raises(OrderError, match=rf"cannot read the claim store s3://{BUCKET}/team .*Nothing was ordered"):
        place(TARGET, ORDER, "stack/rack", journal=journal, sleep=no_wait)

    assert aws.admin.calls().get("CreateOrder", 0) == 0 and orders() == []


def test_two_resources_never_hold_one_order(aws: RunningEmulator, runner: Runner) -> None:
    first, second = runner(), runner()
    placed = place(TARGET, ORDER, "stack-a/rack", journal=first, sleep=no_wait)["OrderId"]

    with pytest.raises(JournalError, match=f"order {placed} is held by resource stack-a/rack"):
        second.hold("stack-b/rack", SPEC, TARGET.region, placed)

    assert second.claims("stack-b/rack").get(placed) == "stack-a/rack"
    assert second.get("stack-b/rack") is None
    record = first.get("stack-a/rack")
    assert record is not None and record.holds() and record.order_id == placed


def count_under_lock(endpoint: str, prefix: str) -> None:
    """One runner's process: LOCK_ROUNDS read-increment-write rounds of a shared counter, under the decision lock."""
    journal = SharedJournal(S3Claims(Location(BUCKET, prefix), s3_client(endpoint)))
    for _ in range(LOCK_ROUNDS):
        with journal.lock():
            found = journal.store.read("counter.json")
            if found is None:
                journal.store.create("counter.json", {"n": 1})
            else:
                journal.store.replace("counter.json", {"n": found[0]["n"] + 1}, found[1])


def test_the_decision_lock_excludes_other_processes(endpoint: str, request: pytest.FixtureRequest) -> None:
    prefix = f"tests/{request.node.name}"
    spawn = multiprocessing.get_context("spawn")
    processes = [spawn.Process(target=count_under_lock, args=(endpoint, prefix)) for _ in range(LOCKERS)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
        assert process.exitcode == 0  # a lost race would raise ClaimTaken on the counter's conditional write
    found = S3Claims(Location(BUCKET, prefix), s3_client(endpoint)).read("counter.json")
    assert found is not None and found[0]["n"] == LOCKERS * LOCK_ROUNDS


def test_a_send_outlasting_several_lease_renewals_still_ends_placed(
    aws: RunningEmulator, runner: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shared, "HEARTBEAT_S", 0.05)
    journal, other = runner(), runner()
    aws.admin.set_faults({"CreateOrder": {"latency_ms": 600}})  # about a dozen renewals while it is in flight
    seen: list[float] = []

    def watch() -> None:  # what another runner sees meanwhile: a lease renewed, so an attempt alive
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and len(seen) < 3:
            attempt = other.get("stack/rack")
            if attempt is not None and attempt.unsettled() and attempt.alive_at not in seen:
                seen.append(attempt.alive_at or 0.0)
            time.sleep(0.1)

    watcher = threading.Thread(target=watch)
    watcher.start()
    order = place(TARGET, ORDER, "stack/rack", journal=journal, sleep=no_wait)
    watcher.join()
    assert len(seen) >= 2  # renewed while CreateOrder was in flight
    record = other.get("stack/rack")
    assert record is not None and (record.state, record.order_id) == ("placed", order["OrderId"])
    assert orders() == [order["OrderId"]]
