"""The shared claim store against a real S3 server (moto in server mode): a claim is written once, a lost race
reads the winner and never overwrites it, a claim moves only from the version that was read, and an unusable
store is an error naming the bucket, never an answer."""

from __future__ import annotations

import multiprocessing
from multiprocessing.synchronize import Barrier
from typing import Any

import pytest
from s3_server import s3_client, with_bucket

from pulumi_outposts_orders.claims.s3 import ClaimStoreError, ClaimTaken, Location, S3Claims

BUCKET = "claim-store-tests"
ROUNDS = 150
CONTENDERS = 6


@pytest.fixture(scope="module")
def endpoint(s3_endpoint: str) -> str:
    return with_bucket(s3_endpoint, BUCKET)


@pytest.fixture
def store(endpoint: str, request: pytest.FixtureRequest) -> S3Claims:
    return S3Claims(Location(BUCKET, f"tests/{request.node.name}"), s3_client(endpoint))


def test_a_claim_is_written_once_and_the_loser_reads_the_winner(store: S3Claims) -> None:
    etag = store.create("order/rack", {"holder": "stack-a/rack"})
    with pytest.raises(ClaimTaken) as lost:
        store.create("order/rack", {"holder": "stack-b/rack"})
    assert lost.value.current == {"holder": "stack-a/rack"} and lost.value.etag == etag
    assert store.read("order/rack") == ({"holder": "stack-a/rack"}, etag)


def test_a_claim_moves_only_from_the_version_that_was_read(store: S3Claims) -> None:
    first = store.create("order/rack", {"state": "sending"})
    second = store.replace("order/rack", {"state": "placed", "order_id": "oo-1"}, first)
    with pytest.raises(ClaimTaken) as stale:  # a writer still holding the first version loses
        store.replace("order/rack", {"state": "released"}, first)
    assert stale.value.current == {"state": "placed", "order_id": "oo-1"} and stale.value.etag == second
    assert store.read("order/rack") == ({"state": "placed", "order_id": "oo-1"}, second)


def test_claims_are_listed_by_name_within_their_prefix(store: S3Claims, endpoint: str) -> None:
    for name in ("order/a", "order/b", "alias/c"):
        store.create(name, {"name": name})
    S3Claims(Location(BUCKET, "elsewhere"), s3_client(endpoint)).create("order/z", {})
    assert sorted(store.names()) == ["alias/c", "order/a", "order/b"]
    assert store.read("order/none") is None


def test_an_unreachable_store_or_missing_bucket_is_an_error_naming_it(endpoint: str) -> None:
    closed = S3Claims(Location("outposts-claims", "team"), s3_client("http://127.0.0.1:9"))
    unreachable = r"cannot write the claim store s3://outposts-claims/team .*127\.0\.0\.1:9"
    with pytest.raises(ClaimStoreError, match=unreachable):
        closed.create("order/rack", {})
    missing = S3Claims(Location("no-such-bucket"), s3_client(endpoint))
    with pytest.raises(ClaimStoreError, match=r"s3://no-such-bucket .*NoSuchBucket"):
        missing.read("order/rack")
    with pytest.raises(ClaimStoreError, match="NoSuchBucket"):
        missing.create("order/rack", {})


def test_a_location_is_an_s3_url() -> None:
    assert Location.parse("s3://claims") == Location("claims")
    assert Location.parse("s3://claims/team/prod/") == Location("claims", "team/prod")
    with pytest.raises(ValueError, match="'https://claims' is not an S3 location"):
        Location.parse("https://claims")


def contend(endpoint: str, prefix: str, me: int, start: Barrier, results: Any) -> None:
    """One provider process: at each round, at the same moment as the others, try to claim that round's name."""
    store = S3Claims(Location(BUCKET, prefix), s3_client(endpoint))
    for name in range(ROUNDS):
        start.wait()  # all at once: every process races every other one on every claim
        try:
            store.create(f"order/{name}", {"holder": me})
            results.put((name, me, me))
        except ClaimTaken as lost:
            results.put((name, me, lost.current["holder"] if lost.current else None))


def test_of_many_processes_claiming_at_once_exactly_one_wins_each_claim(endpoint: str) -> None:
    spawn = multiprocessing.get_context("spawn")
    start, results = spawn.Barrier(CONTENDERS), spawn.Queue()
    processes = [spawn.Process(target=contend, args=(endpoint, "race", me, start, results))
                 for me in range(CONTENDERS)]
    for process in processes:
        process.start()
    seen = [results.get(timeout=120) for _ in range(ROUNDS * CONTENDERS)]
    for process in processes:
        process.join(timeout=30)
        assert process.exitcode == 0
    store = S3Claims(Location(BUCKET, "race"), s3_client(endpoint))
    for name in range(ROUNDS):
        answers = {me: holder for claimed, me, holder in seen if claimed == name}
        winners = [me for me, holder in answers.items() if holder == me]
        assert len(winners) == 1, f"round {name}: {answers}"
        assert set(answers.values()) == set(winners), f"round {name}: a loser saw another holder: {answers}"
        found = store.read(f"order/{name}")
        assert found is not None and found[0] == {"holder": winners[0]}
