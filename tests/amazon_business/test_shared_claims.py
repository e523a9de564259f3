"""AmazonBusinessOrder records its ``externalId``, its seed and how placeOrder ended in the shared claim store.

Create and delete are driven in-process against the emulator (as in ``test_unknown_outcome``), with the store on
a real S3 server (moto) chosen by ``PULUMI_OUTPOSTS_ORDERS_CLAIMS``.
"""

from __future__ import annotations

import socket

import pytest
from s3_server import CREDENTIALS, REGION, with_bucket

from pulumi_outposts_orders.amazon_business.provider import AmazonBusinessOrderProvider
from pulumi_outposts_orders.aws import clients as _clients
from pulumi_outposts_orders.aws.errors import OrderError
from pulumi_outposts_orders.claims import store
from pulumi_outposts_orders.claims.journal import Journal
from pulumi_outposts_orders.emulator.testing import RunningEmulator

from .test_amazon_business_e2e import placed_orders
from .test_unknown_outcome import EXTERNAL, KEY, PROPS, Pauses, counts, emulator, pauses

__all__ = ["emulator", "pauses"]  # fixtures used here

BUCKET = "ab-claims"


@pytest.fixture
def shared(s3_endpoint: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Journal:
    """The shared store for this test (its own prefix), as the provider process finds it."""
    url = f"s3://{BUCKET}/{request.node.name}"
    with_bucket(s3_endpoint, BUCKET)
    for name, value in (("PULUMI_OUTPOSTS_ORDERS_CLAIMS", url), ("AWS_ENDPOINT_URL_S3", s3_endpoint),
                        ("AWS_ACCESS_KEY_ID", CREDENTIALS["aws_access_key_id"]),
                        ("AWS_SECRET_ACCESS_KEY", CREDENTIALS["aws_secret_access_key"]), ("AWS_REGION", REGION)):
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(store, "_CONFIGURED", [(None, store.current().aws)])
    _clients.clear_clients()
    return store.journal(f"amazon-business {PROPS['marketplace']}")


def test_a_placed_order_is_recorded_with_its_external_id_and_seed(
    emulator: RunningEmulator, pauses: Pauses, shared: Journal
) -> None:
    assert shared.get(KEY) is None
    result = AmazonBusinessOrderProvider().create(dict(PROPS))
    record = shared.get(KEY)
    assert record is not None and (record.state, record.order_id) == ("placed", result.id) and result.id == EXTERNAL
    assert record.spec.to_json() == {"service": "amazon-business", "externalId": EXTERNAL, "resourceKey": KEY,
                                     "generationOrdered": 1, "store": "US"}
    assert shared.claims("another/resource").get(EXTERNAL) == KEY
    AmazonBusinessOrderProvider().delete(EXTERNAL, {**PROPS, "external_id": EXTERNAL})
    forgotten = shared.get(KEY)
    assert forgotten is not None and forgotten.state == "released"
    assert shared.claims("another/resource").get(EXTERNAL) is None


def test_a_lost_answer_is_recorded_as_unsure_until_the_retry_settles_it(
    emulator: RunningEmulator, pauses: Pauses, shared: Journal
) -> None:
    emulator.admin.set_faults({"placeOrder": {"drop_response_after_commit": 1}})
    pauses.meanwhile.append(lambda: emulator.admin.set_faults({"orderDetails": {"throttle_next_calls": 99}}))
    with pytest.raises(OrderError):
        AmazonBusinessOrderProvider().create(dict(PROPS))
    record = shared.get(KEY)
    assert record is not None and record.state == "unsure" and record.spec.to_json()["externalId"] == EXTERNAL
    emulator.admin.clear_faults()
    assert AmazonBusinessOrderProvider().create(dict(PROPS)).id == EXTERNAL
    settled = shared.get(KEY)
    assert settled is not None and (settled.state, settled.order_id) == ("placed", EXTERNAL)
    assert [o["externalId"] for o in placed_orders(emulator)] == [EXTERNAL]


def test_an_unreachable_store_stops_before_place_order(
    emulator: RunningEmulator, pauses: Pauses, shared: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", f"http://127.0.0.1:{closed}")
    _clients.clear_clients()
    with pytest.raises(OrderError) as stopped:
        AmazonBusinessOrderProvider().create(dict(PROPS))
    assert f"s3://{BUCKET}/" in str(stopped.value) and EXTERNAL in str(stopped.value)
    assert "placeOrder" not in counts(emulator) and placed_orders(emulator) == []
