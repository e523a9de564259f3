"""``importer.refusals``: which orders `outposts-orders import` refuses, without the engine or AWS."""

from __future__ import annotations

from pathlib import Path

import pytest

from pulumi_outposts_orders.claims.journal import Journal, JournalError
from pulumi_outposts_orders.importer import Adopted, refusals
from pulumi_outposts_orders.outposts.same_order import OrderSpec

PREFIX = "organization/adopt/dev"
ORDER = {"OutpostId": "op-0123456789abcdef0", "PaymentOption": "ALL_UPFRONT", "PaymentTerm": "THREE_YEARS",
         "LineItems": [{"CatalogItemId": "OR-A1B2C3D", "Quantity": 1}]}


@pytest.fixture
def journal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Journal:
    """This machine's attempt journal, in a fresh directory."""
    monkeypatch.setenv("PULUMI_OUTPOSTS_ORDERS_JOURNAL", str(tmp_path / "journal"))
    return Journal()


def adopted(order_id: str, name: str, status: str = "PREPARING") -> Adopted:
    return Adopted(name, {"id": order_id, "name": name}, "", order_id, status, f"{PREFIX}/{name}")


def test_live_untracked_orders_are_not_refused(journal: Journal) -> None:
    assert refusals([adopted("oo-1", "a"), adopted("oo-2", "b")], {}, allow_terminal=False) == []


def test_an_order_requested_twice_is_refused_once(journal: Journal) -> None:
    assert refusals([adopted("oo-1", "a"), adopted("oo-1", "b")], {}, allow_terminal=False) == [
        "order oo-1 is requested more than once (as a, b); an order is tracked by one resource only"
    ]


def test_terminal_orders_are_refused_unless_allowed(journal: Journal) -> None:
    requested = [adopted("oo-1", "a", "CANCELLED"), adopted("oo-2", "b", "ERROR"), adopted("oo-3", "c", "COMPLETED")]
    assert [r.split(":")[0] for r in refusals(requested, {}, allow_terminal=False)] == [
        "order oo-1 is CANCELLED", "order oo-2 is ERROR"]
    assert refusals(requested, {}, allow_terminal=True) == []


def test_allow_terminal_does_not_allow_a_tracked_order(journal: Journal) -> None:
    urn = "urn:pulumi:dev::adopt::t::a"
    assert refusals([adopted("oo-1", "a", "CANCELLED")], {"oo-1": urn}, allow_terminal=True) == [
        f"order oo-1 is already tracked by the stack as {urn}; importing it would make two resources track one order"
    ]


def test_a_journal_claim_refuses_other_names_but_not_the_resource_that_holds_it(journal: Journal) -> None:
    journal.hold(f"{PREFIX}/rack", OrderSpec.of_order(ORDER), "us-east-1", "oo-1")
    assert refusals([adopted("oo-1", "rack")], {}, allow_terminal=False) == []  # the same resource, back again
    [refused] = refusals([adopted("oo-1", "other")], {}, allow_terminal=False)
    assert refused.startswith(f"order oo-1 is already claimed by resource {PREFIX}/rack in this machine's attempt "
                              f"journal ({journal.path_of(f'{PREFIX}/rack')}); ")


def test_a_released_journal_record_claims_nothing(journal: Journal) -> None:
    journal.hold(f"{PREFIX}/rack", OrderSpec.of_order(ORDER), "us-east-1", "oo-1")
    journal.released(f"{PREFIX}/rack", "oo-1")
    assert refusals([adopted("oo-1", "other")], {}, allow_terminal=False) == []


def test_an_unreadable_journal_record_stops_the_import(journal: Journal) -> None:
    journal.directory.mkdir(parents=True)
    (journal.directory / "broken.json").write_text("{")
    with pytest.raises(JournalError):
        refusals([adopted("oo-1", "a")], {}, allow_terminal=False)
