"""Placing an order at most once, with real boto3 against the emulator's injected faults.

These drive the provider's placement layer directly (no engine), one fault at a time; the
end-to-end tests in this folder repeat the important ones through `pulumi up`.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import boto3
import pytest

from pulumi_outposts_orders.aws import settings as _aws
from pulumi_outposts_orders.aws.errors import OrderError
from pulumi_outposts_orders.claims.journal import Journal, running
from pulumi_outposts_orders.emulator.outposts import seed
from pulumi_outposts_orders.emulator.testing import RunningEmulator
from pulumi_outposts_orders.outposts import finders, order_provider
from pulumi_outposts_orders.outposts.placement import MAX_THROTTLED_SENDS, UnknownOutcome, _reconcile, place
from pulumi_outposts_orders.outposts.same_order import OrderSpec

LINE_ITEM_ORDER = {
    "OutpostIdentifier": seed.RACK_OUTPOST_ID,
    "LineItems": [{"CatalogItemId": seed.RACK_CATALOG_ITEM_ID, "Quantity": 1}],
    "PaymentOption": "ALL_UPFRONT",
    "PaymentTerm": "THREE_YEARS",
}
QUOTE_ORDER = {
    "OutpostIdentifier": seed.RACK_OUTPOST_ID,
    "QuoteIdentifier": seed.QUOTE_ID,
    "QuoteOptionIdentifier": seed.QUOTE_OPTION_IDS[0],
    "PaymentOption": "ALL_UPFRONT",
    "PaymentTerm": "THREE_YEARS",
}


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    return Journal(tmp_path / "journal")


TARGET = _aws.Target(region="us-east-1", profile=None)


def no_wait(_seconds: float) -> None:
    return None


def killed_attempt(journal: Journal, key: str, params: dict[str, Any]) -> None:
    """The record a process leaves when it is killed while sending CreateOrder (its pid is gone)."""
    gone = subprocess.Popen(["true"])
    gone.wait()
    attempt = journal.begin(key, OrderSpec.of_params(params), TARGET.region, known_before=None)
    path = next(journal.directory.glob("*.json"))
    path.write_text(json.dumps({**attempt.to_json(), "pid": gone.pid}))


def orders() -> list[dict[str, Any]]:
    client = boto3.client("outposts")
    return [o for page in client.get_paginator("list_orders").paginate() for o in page["Orders"]]


def test_a_lost_create_response_stops_naming_the_order_it_may_have_placed(
    aws: RunningEmulator, journal: Journal
) -> None:
    aws.admin.set_faults({"CreateOrder": {"drop_response_after_commit": 1}})
    with pytest.raises(UnknownOutcome) as stopped:  # another stack may have placed the same: no proof
        place(TARGET, LINE_ITEM_ORDER, "stack/rack-a", journal=journal, sleep=no_wait)
    assert aws.admin.calls() == {"CreateOrder": 1, "ListOrders": 2, "GetOrder": 1}
    [order] = [o["OrderId"] for o in orders()]
    assert f'adopt_order_id="{order}"' in str(stopped.value) and "is unknown" in str(stopped.value)
    assert journal.get("stack/rack-a").state == "unsure"  # type: ignore[union-attr]


def fail_then_linger(directory: str, done: Any) -> None:
    """A provider process whose placement ends with an unknown outcome, and which then lives on a while."""
    with contextlib.suppress(UnknownOutcome):
        place(TARGET, LINE_ITEM_ORDER, "stack/rack-a", journal=Journal(Path(directory)), sleep=no_wait)
    done.set()
    time.sleep(30)


def test_a_stopped_placement_is_settled_by_the_next_run_while_its_process_still_lives(
    aws: RunningEmulator, journal: Journal
) -> None:
    """The provider process of a failed `pulumi up` may outlive it a moment; the next run must not be told that
    process is placing the order (it stopped working on it), but look for the order at once."""
    aws.admin.set_faults({"CreateOrder": {"drop_response_after_commit": 1}})
    spawn = multiprocessing.get_context("spawn")
    done = spawn.Event()
    lingering = spawn.Process(target=fail_then_linger, args=(str(journal.directory), done), daemon=True)
    lingering.start()
    try:
        assert done.wait(60)
        [order] = [o["OrderId"] for o in orders()]
        with pytest.raises(UnknownOutcome, match=order):  # reconciled and named at once, not "another process"
            place(TARGET, LINE_ITEM_ORDER, "stack/rack-a", journal=journal, sleep=no_wait)
        assert lingering.is_alive() and [o["OrderId"] for o in orders()] == [order]
    finally:
        lingering.kill()


def test_a_lost_quote_order_response_stops_naming_the_quotes_order(aws: RunningEmulator, journal: Journal) -> None:
    aws.admin.set_faults({"CreateOrder": {"drop_response_after_commit": 1}})
    with pytest.raises(UnknownOutcome) as stopped:
        place(TARGET, QUOTE_ORDER, "stack/quoted", journal=journal, sleep=no_wait)
    assert aws.admin.calls() == {"CreateOrder": 1, "GetQuote": 2, "GetOrder": 1}
    [order] = [o["OrderId"] for o in orders()]
    assert f'adopt_order_id="{order}"' in str(stopped.value)


def test_a_create_killed_earlier_stops_naming_the_order_without_ordering_again(
    aws: RunningEmulator, journal: Journal
) -> None:
    killed_attempt(journal, "stack/rack-a", LINE_ITEM_ORDER)  # the process died while sending
    placed_by_the_lost_attempt = boto3.client("outposts").create_order(**LINE_ITEM_ORDER)["Order"]
    aws.admin.reset_calls()
    with pytest.raises(UnknownOutcome, match=placed_by_the_lost_attempt["OrderId"]):
        place(TARGET, LINE_ITEM_ORDER, "stack/rack-a", journal=journal, sleep=no_wait)
    assert len(orders()) == 1
    assert aws.admin.calls().get("CreateOrder", 0) == 0


def test_throttled_creates_are_resent_and_place_one_order_each(aws: RunningEmulator, journal: Journal) -> None:
    aws.admin.set_faults({"CreateOrder": {"throttle_rate": 0.6}})
    placed = [place(TARGET, LINE_ITEM_ORDER, f"stack/rack-{n}", journal=journal, sleep=no_wait) for n in range(4)]
    sends = aws.admin.calls()["CreateOrder"]
    assert sorted(o["OrderId"] for o in orders()) == sorted(o["OrderId"] for o in placed)
    assert sends > len(placed)  # some sends were throttled and sent again


def test_throttling_that_never_ends_fails_clearly_and_places_nothing(aws: RunningEmulator, journal: Journal) -> None:
    aws.admin.set_faults({"CreateOrder": {"throttle_rate": 1.0}})
    with pytest.raises(OrderError, match="ThrottlingException"):
        place(TARGET, LINE_ITEM_ORDER, "stack/rack-a", journal=journal, sleep=no_wait)
    assert aws.admin.calls()["CreateOrder"] == MAX_THROTTLED_SENDS
    assert orders() == []


def test_server_errors_before_commit_are_retried_within_a_bound(aws: RunningEmulator, journal: Journal) -> None:
    aws.admin.set_faults({"CreateOrder": {"error_rate": 1.0}})
    with pytest.raises(OrderError, match=r"stayed unknown 3 times.*nothing more was sent"):
        place(TARGET, LINE_ITEM_ORDER, "stack/rack-a", journal=journal, sleep=no_wait)
    assert orders() == []
    assert aws.admin.calls()["CreateOrder"] == 3


def test_a_refused_order_is_not_resent(aws: RunningEmulator, journal: Journal) -> None:
    old_item = [{"CatalogItemId": seed.DISCONTINUED_CATALOG_ITEM_ID, "Quantity": 1}]
    discontinued = {**LINE_ITEM_ORDER, "LineItems": old_item}
    with pytest.raises(OrderError, match=r"CreateOrder .* failed .*AWS said"):
        place(TARGET, discontinued, "stack/old", journal=journal, sleep=no_wait)
    assert aws.admin.calls()["CreateOrder"] == 1
    assert journal.get("stack/old") is None


def test_a_lost_response_beside_an_identical_claimed_order_names_only_the_unclaimed_one(
    aws: RunningEmulator, journal: Journal
) -> None:
    first = place(TARGET, LINE_ITEM_ORDER, "stack/rack-a", journal=journal, sleep=no_wait)
    aws.admin.set_faults({"CreateOrder": {"drop_response_after_commit": 1}})
    with pytest.raises(UnknownOutcome, match="one live order matches") as stopped:
        place(TARGET, LINE_ITEM_ORDER, "stack/rack-b", journal=journal, sleep=no_wait)
    [second] = [o["OrderId"] for o in orders() if o["OrderId"] != first["OrderId"]]
    assert f'adopt_order_id="{second}"' in str(stopped.value) and first["OrderId"] not in str(stopped.value)


def test_several_unclaimed_matches_fail_listing_them_and_order_nothing(aws: RunningEmulator, journal: Journal) -> None:
    client = boto3.client("outposts")
    killed_attempt(journal, "stack/rack-a", LINE_ITEM_ORDER)
    placed = [client.create_order(**LINE_ITEM_ORDER)["Order"]["OrderId"] for _ in range(2)]
    with pytest.raises(UnknownOutcome, match="2 live orders match it") as failure:
        place(TARGET, LINE_ITEM_ORDER, "stack/rack-a", journal=journal, sleep=no_wait)
    assert all(order_id in str(failure.value) for order_id in placed)
    assert len(orders()) == 2


def test_an_expected_price_mismatch_places_nothing(aws: RunningEmulator, journal: Journal) -> None:
    quote = boto3.client("outposts").get_quote(QuoteIdentifier=seed.QUOTE_ID)["Quote"]
    option = next(o for o in quote["QuoteOptions"] if o["QuoteOptionIdentifier"] == seed.QUOTE_OPTION_IDS[0])
    details = next(
        p["SubscriptionPricingDetails"] for p in option["PricingOptions"]
        if p["SubscriptionPricingDetails"]["PaymentOption"] == "ALL_UPFRONT"
        and p["SubscriptionPricingDetails"]["PaymentTerm"] == "THREE_YEARS"
    )
    expected = {"currency": details["Currency"], "upfront_price": details["UpfrontPrice"] - 1000}
    with pytest.raises(OrderError, match="nothing ordered: the price of quote") as failure:
        place(TARGET, QUOTE_ORDER, "stack/quoted", expected_price=expected, journal=journal, sleep=no_wait)
    assert f"quoted {details['UpfrontPrice']:,.2f}" in str(failure.value)
    assert f"expected upfront {details['UpfrontPrice'] - 1000:,.2f}" in str(failure.value)
    assert orders() == []
    assert aws.admin.calls().get("CreateOrder", 0) == 0

    matching = {"currency": details["Currency"], "upfront_price": details["UpfrontPrice"],
                "monthly_recurring_price": details.get("MonthlyRecurringPrice")}
    order = place(TARGET, QUOTE_ORDER, "stack/quoted", expected_price=matching, journal=journal, sleep=no_wait)
    assert order["QuoteIdentifier"] == seed.QUOTE_ID


def test_the_journal_prunes_released_records_older_than_a_week_and_keeps_held_ones(journal: Journal) -> None:
    spec = OrderSpec.of_params(LINE_ITEM_ORDER)
    journal.hold("stack/old", spec, "us-east-1", "oo-0000000000000000a")
    journal.released("stack/old", "oo-0000000000000000a")
    journal.hold("stack/held", spec, "us-east-1", "oo-0000000000000000b")
    for path in journal.directory.glob("*.json"):
        record = json.loads(path.read_text())
        path.write_text(json.dumps({**record, "started_at": record["started_at"] - 8 * 24 * 3600}))
    journal.prune()
    assert journal.get("stack/old") is None
    assert journal.claims(except_key="stack/other") == {"oo-0000000000000000b": "stack/held"}


def test_ordering_an_already_ordered_quote_is_refused_with_the_way_to_adopt(
    aws: RunningEmulator, journal: Journal
) -> None:
    first = place(TARGET, QUOTE_ORDER, "stack/quoted", journal=journal, sleep=no_wait)
    with pytest.raises(OrderError, match=r"already ordered as .* adopt it") as failure:
        place(TARGET, QUOTE_ORDER, "elsewhere/quoted", journal=Journal(journal.directory / "other"), sleep=no_wait)
    assert first["OrderId"] in str(failure.value)
    assert [o["OrderId"] for o in orders()] == [first["OrderId"]]


def test_a_refused_send_after_an_unknown_outcome_keeps_the_record_until_it_is_settled(
    aws: RunningEmulator, journal: Journal
) -> None:
    aws.admin.set_faults({"CreateOrder": {"error_rate": 1.0}})  # the first send's outcome is unknown

    def then_throttle_everything(_seconds: float) -> None:  # between reconciliation's two looks
        aws.admin.set_faults({"CreateOrder": {"throttle_rate": 1.0}})

    with pytest.raises(OrderError, match="ThrottlingException") as failure:
        place(TARGET, LINE_ITEM_ORDER, "stack/rack-a", journal=journal, sleep=then_throttle_everything)
    assert "is unknown" in str(failure.value) and "nothing was ordered" not in str(failure.value).lower()
    record = journal.get("stack/rack-a")
    assert record is not None and record.state == "unsure"  # the unknown outcome is not forgotten
    assert orders() == []

    aws.admin.clear_faults()
    order = place(TARGET, LINE_ITEM_ORDER, "stack/rack-a", journal=journal, sleep=no_wait)
    assert [o["OrderId"] for o in orders()] == [order["OrderId"]]
    assert journal.get("stack/rack-a").state == "placed"  # type: ignore[union-attr]


def test_an_order_of_an_identical_attempt_still_sending_is_looked_at_again_not_named(
    aws: RunningEmulator, tmp_path: Path
) -> None:
    """Another resource on this machine starts sending the same order just as this one reconciles a lost
    answer: its order shows in the list before it is claimed. Reconciliation looks again once that resource's
    send settles, so the order is claimed by it and never named as this resource's candidate."""
    peer_key = "stack/rack-peer"
    peer_order = boto3.client("outposts").create_order(**LINE_ITEM_ORDER)["Order"]["OrderId"]  # peer's, committed
    peer_running = running(peer_key)

    class PeerStartsSendingMeanwhile(Journal):
        """The journal as the other resource's thread writes it: its send begins while this one takes the lock."""

        def lock(self) -> Any:
            if self.get(peer_key) is None:
                peer_running.__enter__()
                self.begin(peer_key, OrderSpec.of_params(LINE_ITEM_ORDER), TARGET.region, known_before=())
            return super().lock()

    journal = PeerStartsSendingMeanwhile(tmp_path / "journal")

    def peer_answered(_seconds: float) -> None:  # while this resource waits, the peer's answer arrives
        peer = journal.get(peer_key)
        if peer is not None and peer.state == "sending":
            journal.mark(peer, "placed", peer_order)
            peer_running.__exit__(None, None, None)

    attempt = journal.begin("stack/rack-a", OrderSpec.of_params(LINE_ITEM_ORDER), TARGET.region, known_before=())
    _reconcile(TARGET, journal.mark(attempt, "unsure"), journal, peer_answered, second_look=True)  # no candidate
    assert journal.claims("stack/rack-a") == {peer_order: peer_key}


def test_an_order_adopted_by_hand_in_the_same_run_is_not_named_by_an_identical_resource(
    aws: RunningEmulator, journal: Journal
) -> None:
    """Two identical resources lost their CreateOrder answers; one order exists. The user adopts it for the
    first and runs `up`: the second, reconciling at the same time, must not stop naming the adopted order."""
    gone = subprocess.Popen(["true"])
    gone.wait()
    for key in ("stack/first", "stack/second"):  # the records a killed run leaves
        attempt = journal.begin(key, OrderSpec.of_params(LINE_ITEM_ORDER), TARGET.region, known_before=None)
        journal.path_of(key).write_text(json.dumps({**attempt.to_json(), "pid": gone.pid}))
    adopted = boto3.client("outposts").create_order(**LINE_ITEM_ORDER)["Order"]["OrderId"]
    first = {"outpost_identifier": seed.RACK_OUTPOST_ID, "payment_option": "ALL_UPFRONT", "payment_term": "THREE_YEARS",
             "line_items": [{"catalog_item_id": seed.RACK_CATALOG_ITEM_ID, "quantity": 1}],
             "adopt_order_id": adopted, "placement_key": "stack/first"}
    second: dict[str, Any] = {}

    def create_second() -> None:
        second.update(place(TARGET, LINE_ITEM_ORDER, "stack/second", journal=journal, sleep=time.sleep))

    racing = threading.Thread(target=create_second)
    racing.start()
    time.sleep(0.5)  # the second has looked and seen the unclaimed order by now
    order_provider._adopt(TARGET, first, journal)
    racing.join(timeout=60)
    assert second and second["OrderId"] != adopted
    assert sorted(o["OrderId"] for o in orders()) == sorted([adopted, second["OrderId"]])
    assert journal.claims("") == {adopted: "stack/first", second["OrderId"]: "stack/second"}


def test_an_adoption_by_a_resource_without_a_record_is_waited_for_by_an_identical_reconciliation(
    aws: RunningEmulator, journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first resource's earlier create stopped before sending (no record); the second's send went unanswered
    and placed the one order. The user adopts it for the first; the second, reconciling meanwhile, must wait for
    that claim instead of naming the order, then place its own."""
    gone = subprocess.Popen(["true"])
    gone.wait()
    attempt = journal.begin("stack/second", OrderSpec.of_params(LINE_ITEM_ORDER), TARGET.region, known_before=None)
    journal.path_of("stack/second").write_text(json.dumps({**attempt.to_json(), "pid": gone.pid}))
    adopted = boto3.client("outposts").create_order(**LINE_ITEM_ORDER)["Order"]["OrderId"]
    first = {"outpost_identifier": seed.RACK_OUTPOST_ID, "payment_option": "ALL_UPFRONT", "payment_term": "THREE_YEARS",
             "line_items": [{"catalog_item_id": seed.RACK_CATALOG_ITEM_ID, "quantity": 1}],
             "adopt_order_id": adopted, "placement_key": "stack/first"}
    looking, go_on = threading.Event(), threading.Event()
    real_find = finders.find_order

    def slow_find(target: _aws.Target, order_id: str) -> Any:  # the adoption's GetOrder, held until the second looks
        looking.set()
        go_on.wait(30)
        return real_find(target, order_id)

    monkeypatch.setattr(order_provider, "find_order", slow_find)
    adoption = threading.Thread(target=order_provider._adopt, args=(TARGET, first, journal))
    adoption.start()
    assert looking.wait(30)
    second: dict[str, Any] = {}
    racing = threading.Thread(target=lambda: second.update(
        place(TARGET, LINE_ITEM_ORDER, "stack/second", journal=journal, sleep=time.sleep)))
    racing.start()
    time.sleep(1.0)  # the second is reconciling now, with the order unclaimed
    go_on.set()
    adoption.join(timeout=60)
    racing.join(timeout=180)
    assert second and second["OrderId"] != adopted
    assert sorted(o["OrderId"] for o in orders()) == sorted([adopted, second["OrderId"]])
    assert journal.claims("") == {adopted: "stack/first", second["OrderId"]: "stack/second"}


def test_a_failed_adoption_puts_the_unsettled_record_back(aws: RunningEmulator, journal: Journal) -> None:
    killed_attempt(journal, "stack/first", LINE_ITEM_ORDER)
    before = journal.get("stack/first")
    with pytest.raises(OrderError, match="does not exist"):
        order_provider._adopt(TARGET, {"adopt_order_id": "oo-0123456789abcdef0", "placement_key": "stack/first"},
                              journal)
    assert journal.get("stack/first") == before
