"""A placeOrder send left without an answer makes every later failure of that create an unknown outcome.

"Nothing ordered" only when it is proven: no placeOrder reached Amazon (the login failed first) or every
send was answered with a refusal (429). Once a send went unanswered (dropped, 5xx), a later throttling
or login failure says the outcome is unknown, names the externalId and says `pulumi up` again is safe;
doing so tracks the one order placed. Create is driven in-process against the emulator (the client's
back-off sleeps skipped, each running what happens meanwhile); the throttled case also through ``pulumi up``.
"""

from __future__ import annotations

import time
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from ab_process import new_provider_process
from e2e_project import resources
from pulumi import automation as auto

from pulumi_outposts_orders.amazon_business import client, inputs
from pulumi_outposts_orders.amazon_business.provider import AmazonBusinessOrderProvider
from pulumi_outposts_orders.aws.errors import OrderError
from pulumi_outposts_orders.emulator import amazon_business as ab
from pulumi_outposts_orders.emulator.testing import RunningEmulator

from .test_amazon_business_e2e import TYPE, make_stack, optics, placed_orders, when_dropped_then

QSFP = ab.SEED_PRODUCTS[0]
KEY = "org/project/stack/optics"
EXTERNAL = inputs.external_id(KEY, 1)
PROPS: dict[str, Any] = {
    "line_items": [{"asin": QSFP.asin, "buying_option_id": QSFP.buying_option_id, "quantity": 2}],
    "shipping_address": {"full_name": "Site Ops", "address_line1": "1 Main St", "city": "Seattle",
                         "postal_code": "98109", "country_code": "US"},
    "buyer_email": "buyer@example.com", "marketplace": "US", "order_key": KEY, "order_generation": 1,
}
REVOKED = "Atzr|revoked-refresh-token"
UNKNOWN = "The outcome is unknown"
SAFE = "Run `pulumi up` again (here or on another machine), which is safe"


class Pauses:
    """The client's back-off sleeps, not slept: each runs the next of ``meanwhile`` (what happens meanwhile)."""

    def __init__(self) -> None:
        self.slept: list[float] = []
        self.meanwhile: list[Callable[[], object]] = []

    def __call__(self, seconds: float) -> None:
        self.slept.append(seconds)
        if self.meanwhile:
            self.meanwhile.pop(0)()


@pytest.fixture
def emulator() -> Iterator[RunningEmulator]:
    with RunningEmulator() as running:
        yield running


@pytest.fixture
def pauses(emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch) -> Pauses:
    """A new provider process against ``emulator``, with the usage plan fast enough for 429s not to wait long."""
    new_provider_process(monkeypatch, emulator.endpoint)
    monkeypatch.setattr(client, "BUCKETS", {group: client.TokenBucket() for group in client.HOSTS})
    emulator.admin.set_usage_plan(100)  # the client re-rates its bucket from the answers: no 2 s wait after a 429
    recorded = Pauses()
    monkeypatch.setattr(client, "time", types.SimpleNamespace(monotonic=time.monotonic, sleep=recorded))
    emulator.admin.reset_calls()
    return recorded


def create_fails() -> str:
    with pytest.raises(OrderError) as failed:
        AmazonBusinessOrderProvider().create(dict(PROPS))
    return str(failed.value)


def counts(emulator: RunningEmulator) -> dict[str, int]:
    return {k: v for k, v in emulator.admin.calls().items() if v and k.split(".")[0] in ab.OPERATIONS}


def assert_unknown(message: str, after_lost_answer: bool = True) -> None:
    assert UNKNOWN in message and f"look for externalId {EXTERNAL} on Amazon Business" in message
    assert SAFE in message and "Amazon returns the order already placed rather than placing another" in message
    assert ("after an earlier placeOrder send went without an answer" in message) is after_lost_answer
    assert "nothing ordered" not in message.lower()


def assert_tracked_once(emulator: RunningEmulator) -> None:
    """Create again (``pulumi up`` again): the one order placed is returned and tracked; none is added."""
    result = AmazonBusinessOrderProvider().create(dict(PROPS))
    assert result.id == EXTERNAL and result.outs is not None
    assert result.outs["line_item_results"][0]["accepted_quantity"] == 2
    assert [o["externalId"] for o in placed_orders(emulator)] == [EXTERNAL]


def test_a_lost_answer_then_throttling_is_unknown(emulator: RunningEmulator, pauses: Pauses) -> None:
    emulator.admin.set_faults({"placeOrder": {"drop_response_after_commit": 1}})
    # Before anything is sent again, orderDetails must say whether the order exists: it is throttled to the end.
    pauses.meanwhile.append(lambda: emulator.admin.set_faults({"orderDetails": {"throttle_next_calls": 99}}))
    message = create_fails()
    assert message.startswith(f"orderDetails: still throttled (429) after {client.MAX_ATTEMPTS} attempts, after an")
    assert_unknown(message)
    assert [o["externalId"] for o in placed_orders(emulator)] == [EXTERNAL]  # placed, not tracked
    assert counts(emulator) == {"lwaToken": 1, "placeOrder": 1, "orderDetails": 1 + client.MAX_ATTEMPTS,
                                "orderDetails.throttled": client.MAX_ATTEMPTS}  # never sent again
    emulator.admin.clear_faults()
    assert_tracked_once(emulator)


def test_a_lost_answer_then_a_login_failure_is_unknown(emulator: RunningEmulator, pauses: Pauses,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    emulator.admin.set_faults({"placeOrder": {"drop_response_after_commit": 1}})

    def an_hour_later_and_revoked() -> None:
        emulator.admin.expire_lwa_tokens()
        monkeypatch.setenv("AMAZON_BUSINESS_LWA_REFRESH_TOKEN", REVOKED)

    pauses.meanwhile.append(an_hour_later_and_revoked)
    message = create_fails()
    assert message.startswith("Login with Amazon refused the credentials for the NA region (400 invalid_grant")
    assert_unknown(message)
    assert REVOKED not in message and ab.LWA_CLIENT_SECRET not in message
    assert [o["externalId"] for o in placed_orders(emulator)] == [EXTERNAL]
    # the look for the order after the lost answer needed a token for the new refresh token, which LWA refused:
    # nothing was sent again
    assert counts(emulator) == {"lwaToken": 2, "placeOrder": 1, "orderDetails": 1}
    monkeypatch.setenv("AMAZON_BUSINESS_LWA_REFRESH_TOKEN", ab.LWA_REFRESH_TOKEN)
    emulator.admin.clear_faults()
    assert_tracked_once(emulator)


def test_a_5xx_after_the_order_was_placed_is_resolved_by_order_details_without_a_second_send(
        emulator: RunningEmulator, pauses: Pauses) -> None:
    emulator.admin.set_faults({"placeOrder": {"error_after_commit": client.UNKNOWN_ATTEMPTS}})
    result = AmazonBusinessOrderProvider().create(dict(PROPS))
    assert result.id == EXTERNAL and [o["externalId"] for o in placed_orders(emulator)] == [EXTERNAL]
    assert counts(emulator) == {"lwaToken": 1, "placeOrder": 1, "orderDetails": 2}  # 404 before, found after


def test_5xx_to_the_end_is_unknown_and_each_resend_follows_a_look(emulator: RunningEmulator, pauses: Pauses) -> None:
    emulator.admin.set_faults({"placeOrder": {"error_rate": 1.0}})  # refused with a 5xx, nothing placed
    message = create_fails()
    assert message.startswith("placeOrder failed (500 InternalFailure)")
    assert_unknown(message, after_lost_answer=False)
    assert placed_orders(emulator) == []
    assert counts(emulator) == {"lwaToken": 1, "placeOrder": client.UNKNOWN_ATTEMPTS,
                                "orderDetails": client.UNKNOWN_ATTEMPTS}  # one look before each send
    assert pauses.slept == [client.UNKNOWN_BACKOFF_S * 2 ** n for n in range(client.UNKNOWN_ATTEMPTS - 1)]
    emulator.admin.clear_faults()
    assert_tracked_once(emulator)


def test_a_login_failure_before_any_send_is_nothing_ordered(emulator: RunningEmulator, pauses: Pauses,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AMAZON_BUSINESS_LWA_REFRESH_TOKEN", REVOKED)
    message = create_fails()
    assert message.startswith(f"nothing ordered (externalId {EXTERNAL}): Login with Amazon refused the credentials")
    assert UNKNOWN not in message and REVOKED not in message
    assert counts(emulator) == {"lwaToken": 1} and placed_orders(emulator) == []


def test_every_send_throttled_is_nothing_ordered(emulator: RunningEmulator, pauses: Pauses) -> None:
    emulator.admin.set_faults({"placeOrder": {"throttle_next_calls": client.MAX_ATTEMPTS}})
    message = create_fails()
    assert message == (f"nothing ordered (externalId {EXTERNAL}): placeOrder: still throttled (429) after "
                       f"{client.MAX_ATTEMPTS} attempts")
    assert placed_orders(emulator) == []


@pytest.mark.e2e
def test_up_after_a_lost_answer_then_throttling_is_unknown_and_up_again_tracks_the_one_order(
        tmp_path: Path, emulator: RunningEmulator) -> None:
    emulator.admin.set_usage_plan(10)  # the client's 429 back-off shortens with the plan's rate: about 9 s
    stack = make_stack(tmp_path, emulator)
    # The first send is held 2 s, committed and its answer dropped; the looks for it are all throttled.
    emulator.admin.set_faults({"placeOrder": {"latency_ms": 2000, "drop_response_after_commit": 1}})
    watcher = when_dropped_then(emulator, {"orderDetails": {"throttle_next_calls": client.MAX_ATTEMPTS}})
    with pytest.raises(auto.CommandError) as failed:
        stack.up(program=optics())
    watcher.join()
    message = str(failed.value)
    [placed] = placed_orders(emulator)
    assert resources(stack, TYPE) == []  # placed, but not tracked
    assert f"still throttled (429) after {client.MAX_ATTEMPTS} attempts" in message
    assert "after an earlier placeOrder send went without an answer" in message and UNKNOWN in message
    assert f"look for externalId {placed['externalId']} on Amazon Business" in message and SAFE in message
    assert "nothing ordered" not in message.lower()
    emulator.admin.clear_faults()
    emulator.admin.reset_calls()
    stack.up(program=optics())
    [state] = resources(stack, TYPE)
    assert state["id"] == placed["externalId"]
    assert [o["externalId"] for o in placed_orders(emulator)] == [placed["externalId"]]
    assert emulator.admin.calls().get("placeOrder", 0) == 0  # found by orderDetails: nothing sent again
