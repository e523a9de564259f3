"""Stacks keep their dynamic provider pickled by reference (module path and class name). State written
before the service packages (0.1.0) names ``pulumi_outposts_orders._provider.*``: those paths must keep
loading the current providers, or refresh, update and destroy of every existing order would fail."""

from __future__ import annotations

import base64
import pickle

import dill
import pytest
from pulumi.dynamic import ResourceProvider

from pulumi_outposts_orders.amazon_business.provider import AmazonBusinessOrderProvider
from pulumi_outposts_orders.outposts.order_provider import OutpostOrderProvider
from pulumi_outposts_orders.outposts.quote_provider import OutpostQuoteProvider

# ``__provider`` as pulumi.dynamic serialised it in 0.1.0 (dill, by reference).
WRITTEN_BY_0_1 = {
    OutpostOrderProvider: "gASVRgAAAAAAAACMJnB1bHVtaV9vdXRwb3N0c19vcmRlcnMuX3Byb3ZpZGVyLm9yZGVylIwUT3V0cG9zdE9yZGVyUHJvdmlkZXKUk5QpgZQu",
    OutpostQuoteProvider: "gASVRgAAAAAAAACMJnB1bHVtaV9vdXRwb3N0c19vcmRlcnMuX3Byb3ZpZGVyLnF1b3RllIwUT3V0cG9zdFF1b3RlUHJvdmlkZXKUk5QpgZQu",
    AmazonBusinessOrderProvider: "gASVVwAAAAAAAACMMHB1bHVtaV9vdXRwb3N0c19vcmRlcnMuX3Byb3ZpZGVyLmFtYXpvbl9idXNpbmVzc5SMG0FtYXpvbkJ1c2luZXNzT3JkZXJQcm92aWRlcpSTlCmBlC4=",
}


@pytest.mark.parametrize("provider_class", list(WRITTEN_BY_0_1), ids=lambda c: c.__name__)
def test_state_written_by_0_1_loads_the_current_provider(provider_class: type[ResourceProvider]) -> None:
    loaded = dill.loads(base64.b64decode(WRITTEN_BY_0_1[provider_class]))
    assert type(loaded) is provider_class


@pytest.mark.parametrize("provider_class", list(WRITTEN_BY_0_1), ids=lambda c: c.__name__)
def test_new_state_names_the_service_package_and_stays_small(provider_class: type[ResourceProvider]) -> None:
    written = dill.dumps(provider_class(), protocol=pickle.DEFAULT_PROTOCOL, recurse=True)
    assert provider_class.__module__.encode() in written
    assert b"pulumi_outposts_orders._provider." not in written
    assert len(written) < 200
