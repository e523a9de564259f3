"""OutpostRenewal through the real engine against the emulator: placed once (a lost answer, a killed ``up``
resumed on another machine), refused with nothing renewed (a moved price, UNABLE_TO_PRICE), forgotten loudly on
destroy (and the review says so), and the board's term-end warning."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e_project import Project, kill_up_while_creating, new_project, resources
from pulumi import automation as auto

from pulumi_outposts_orders import ExpectedPriceArgs, LineItemArgs, OutpostOrder, OutpostRenewal
from pulumi_outposts_orders.emulator.testing import RunningEmulator
from pulumi_outposts_orders.outposts.billing import business_days_left

pytestmark = pytest.mark.e2e
OUTPOST = "op-0123456789abcdef0"
TYPE = "pulumi-python:dynamic/outposts:OutpostRenewal"


@pytest.fixture
def emulator() -> Iterator[RunningEmulator]:
    with RunningEmulator() as running:
        yield running


def renewals(emulator: RunningEmulator) -> list[dict[str, Any]]:
    """The RENEWAL subscriptions AWS (the emulator) holds for the Outpost."""
    return [s for s in emulator.admin.billing(OUTPOST) if s.get("SubscriptionType") == "RENEWAL"]


def price_of(emulator: RunningEmulator, option: str = "ALL_UPFRONT", term: str = "THREE_YEARS") -> dict[str, Any]:
    import boto3

    client = boto3.client("outposts", region_name="us-west-2", endpoint_url=emulator.endpoint,
                          aws_access_key_id="test", aws_secret_access_key="test")
    offered = client.get_renewal_pricing(OutpostIdentifier=OUTPOST)["PricingOptions"]
    return next(o["SubscriptionPricingDetails"] for o in offered
                if o["SubscriptionPricingDetails"]["PaymentOption"] == option
                and o["SubscriptionPricingDetails"]["PaymentTerm"] == term)


def program(upfront: float | None = None, generation: int | None = None) -> Any:
    def run() -> None:
        import pulumi

        renewal = OutpostRenewal("term", outpost_identifier=OUTPOST, payment_option="ALL_UPFRONT",
                                 payment_term="THREE_YEARS", generation=generation,
                                 expected_price=ExpectedPriceArgs("USD", upfront_price=upfront)
                                 if upfront is not None else None)
        pulumi.export("renewal", renewal)
    return run


def stack_of(project: Project, upfront: float | None = None) -> auto.Stack:
    stack = project.stack(program(upfront))
    stack.set_config("aws:region", auto.ConfigValue("us-west-2"))
    return stack


def test_a_renewal_at_the_approved_price_is_placed_once_under_a_lost_answer(tmp_path: Path,
                                                                            emulator: RunningEmulator) -> None:
    project = new_project(tmp_path, emulator)
    upfront = float(price_of(emulator)["UpfrontPrice"])
    stack = stack_of(project, upfront)
    emulator.admin.set_faults({"CreateRenewal": {"drop_response_after_commit": 1}})  # renewed; the answer lost
    up = stack.up()
    emulator.admin.clear_faults()
    assert emulator.admin.calls()["CreateRenewal"] == 2  # sent again with the same ClientToken
    [held] = renewals(emulator)
    [state] = resources(stack, TYPE)
    assert state["id"] == held["SubscriptionId"] and state["outputs"]["subscription_status"] == "PENDING"
    assert state["outputs"]["upfront_price"] == upfront
    assert "is charged now" in up.stdout + up.stderr
    stack.refresh()
    emulator.admin.reset_calls()
    again = stack.up()  # nothing changes: no second renewal, no call to make one
    assert again.summary.resource_changes == {"same": 2}
    assert len(renewals(emulator)) == 1 and emulator.admin.calls().get("CreateRenewal", 0) == 0


def test_a_killed_up_resumed_on_another_machine_renews_once(tmp_path: Path, emulator: RunningEmulator) -> None:
    project = new_project(tmp_path, emulator)
    (project.work_dir / "__main__.py").write_text(
        "from pulumi_outposts_orders import OutpostRenewal\n"
        f"OutpostRenewal('term', outpost_identifier='{OUTPOST}', payment_option='ALL_UPFRONT', "
        "payment_term='THREE_YEARS', region='us-west-2')\n")
    assert project.run("pulumi", "stack", "init", "dev").returncode == 0
    kill_up_while_creating(project, emulator, "CreateRenewal")
    assert len(renewals(emulator)) == 1  # AWS renewed; the stack does not know
    project.env["PULUMI_HOME"] = str(tmp_path / "another-machine")  # a new runner: nothing local survives
    stack = project.stack()
    stack.cancel()
    stack.refresh(clear_pending_creates=True)
    stack.up()
    [state] = resources(stack, TYPE)
    [held] = renewals(emulator)
    assert state["id"] == held["SubscriptionId"]


def test_a_moved_price_or_no_price_renews_nothing(tmp_path: Path, emulator: RunningEmulator) -> None:
    project = new_project(tmp_path, emulator)
    stack = stack_of(project, upfront=1.0)  # approved at $1: AWS prices it otherwise
    with pytest.raises(auto.CommandError, match="nothing renewed: the renewal of Outpost") as moved:
        stack.up()
    assert "is not at the approved price" in str(moved.value)
    emulator.admin.set_renewal_pricing(OUTPOST, available=False)
    stack.workspace.program = program()
    with pytest.raises(auto.CommandError, match="UNABLE_TO_PRICE"):
        stack.up()
    assert renewals(emulator) == [] and emulator.admin.calls().get("CreateRenewal", 0) == 0
    assert resources(stack, TYPE) == []


def test_destroy_forgets_the_renewal_loudly_and_the_review_says_so(tmp_path: Path, emulator: RunningEmulator) -> None:
    project = new_project(tmp_path, emulator)
    stack = stack_of(project)
    stack.up()
    preview = stack.preview(program=lambda: None, json=True).stdout
    review = project.outposts_orders("review", "-", stdin=preview)
    assert "**DESTROY: NOT cancelled**" in review.stdout and "is NOT cancelled** (there is no API for it)" in \
        review.stdout, review.stdout
    destroyed = stack.destroy()
    assert "was NOT cancelled" in destroyed.stdout + destroyed.stderr
    assert len(renewals(emulator)) == 1  # it continues


def test_the_review_prices_a_new_renewal_and_says_it_is_irreversible(tmp_path: Path,
                                                                     emulator: RunningEmulator) -> None:
    project = new_project(tmp_path, emulator)
    price = price_of(emulator)
    stack = stack_of(project, float(price["UpfrontPrice"]))
    preview = stack.preview(json=True).stdout
    review = project.outposts_orders("review", "-", "--require-prices", stdin=preview)
    assert review.returncode == 0, review.stdout + review.stderr
    assert "**RENEWAL: irreversible; upfront charged now**" in review.stdout
    assert f"${float(price['UpfrontPrice']):,.2f}" in review.stdout
    assert "ALL_UPFRONT / FIVE_YEARS" in review.stdout  # every option AWS offers, priced
    assert renewals(emulator) == []


def first_day_with(business_days: int, today: datetime.date) -> datetime.date:
    day = today
    while business_days_left(today, day) < business_days:
        day += datetime.timedelta(days=1)
    return day


def test_the_board_warns_four_business_days_before_the_term_ends_until_a_renewal_is_pending(
        tmp_path: Path, emulator: RunningEmulator) -> None:
    project = new_project(tmp_path, emulator)

    def site(renew: bool) -> Any:
        def run() -> None:
            OutpostOrder("rack", outpost_identifier=OUTPOST, payment_option="ALL_UPFRONT",
                         payment_term="THREE_YEARS", line_items=[LineItemArgs("OR-A1B2C3D", 1)])
            if renew:
                OutpostRenewal("term", outpost_identifier=OUTPOST, payment_option="NO_UPFRONT",
                               payment_term="ONE_YEAR")
        return run

    stack = project.stack(site(renew=False))
    stack.set_config("aws:region", auto.ConfigValue("us-west-2"))
    today = datetime.datetime.now(datetime.UTC).date()
    end = first_day_with(4, today)
    emulator.admin.set_outpost_contract(OUTPOST, end_date=end.isoformat())
    stack.up()
    board = ("status", "--stack", "dev", "--cwd", str(project.work_dir), "--markdown", "--contracts",
             "--renewal-margin", "0")
    due = project.outposts_orders(*board)
    assert due.returncode == 4, due.stdout + due.stderr  # the daily workflow fails: renew now
    assert f"🛑 **Renew now**: `{OUTPOST}`" in due.stdout
    assert end.isoformat() in due.stdout and "(4 business days)" in due.stdout
    assert "ORIGINAL ACTIVE" in due.stdout and "CAPACITY_INCREASE" in due.stdout  # the order's subscription
    stack.up(program=site(renew=True))
    calm = project.outposts_orders(*board)
    assert calm.returncode == 0, calm.stdout + calm.stderr
    assert "RENEWAL pending from" in calm.stdout and "🛑" not in calm.stdout
    assert len(renewals(emulator)) == 1
