"""`outposts-orders review` of real `pulumi preview --json` documents, against the emulator.

One realistic change set (checked in full against `expected_review.md`): a replacement whose order
moved on since the last refresh, a cancel, a cancel that will be refused, a forgotten history order,
two quote orders (approved price matching and not), a line-item create and an adoption, in a stack
whose region comes from `aws:region` only. Then the same preview with AWS unreachable, and failed
previews (the provider's own refusal, a typo in the program).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pulumi
import pytest
from e2e_project import Project, new_project, resources
from e2e_project import table_cells as cells
from pulumi.automation import ConfigValue

from pulumi_outposts_orders import ExpectedPriceArgs, LineItemArgs, OutpostOrder
from pulumi_outposts_orders._tokens import ORDER_TYPE
from pulumi_outposts_orders.emulator.outposts.seed import (
    QUOTE_ID,
    QUOTE_OPTION_IDS,
    RACK_CATALOG_ITEM_ID,
    RACK_OUTPOST_ID,
    SECOND_RACK_CATALOG_ITEM_ID,
)
from pulumi_outposts_orders.emulator.testing import RunningEmulator, boto3_env

pytestmark = pytest.mark.e2e
REGION = "us-west-2"  # only in the stack's config: the review must find it there


def line_item_order(name: str, quantity: int = 1, item: str = RACK_CATALOG_ITEM_ID, **extra: Any) -> OutpostOrder:
    return OutpostOrder(name, outpost_identifier=RACK_OUTPOST_ID,
                        line_items=[LineItemArgs(catalog_item_id=item, quantity=quantity)],
                        payment_option=extra.pop("payment_option", "NO_UPFRONT"),
                        payment_term=extra.pop("payment_term", "THREE_YEARS"), **extra)


def before() -> None:
    for name in ("rack-a", "rack-b", "rack-flight", "rack-hist"):
        line_item_order(name)


def after(adopted: str) -> None:
    line_item_order("rack-a", 2)  # replaced; its order moved on after the last refresh
    # rack-b (PREPARING) cancelled, rack-flight (IN_PROGRESS) refused, rack-hist (COMPLETED) forgotten
    OutpostOrder("rack-c", outpost_identifier=RACK_OUTPOST_ID, quote_identifier=QUOTE_ID,
                 quote_option_identifier=QUOTE_OPTION_IDS[0], payment_option="PARTIAL_UPFRONT",
                 payment_term="THREE_YEARS",
                 expected_price=ExpectedPriceArgs(currency="USD", upfront_price=165870.00))
    OutpostOrder("rack-e", outpost_identifier=RACK_OUTPOST_ID, quote_identifier=QUOTE_ID,
                 quote_option_identifier=QUOTE_OPTION_IDS[1], payment_option="ALL_UPFRONT",
                 payment_term="THREE_YEARS",
                 expected_price=ExpectedPriceArgs(currency="USD", upfront_price=300000.00))
    line_item_order("rack-d", item=SECOND_RACK_CATALOG_ITEM_ID, payment_option="ALL_UPFRONT", payment_term="ONE_YEAR")
    line_item_order("rack-adopt", item=SECOND_RACK_CATALOG_ITEM_ID, payment_option="ALL_UPFRONT",
                    adopt_order_id=adopted)
    pulumi.export("unused", 1)


def regionless(project: Project) -> Project:
    """The project with no region in the environment: only the stack's aws:region names one."""
    for key in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        project.env.pop(key, None)
    return project


def client(emulator: RunningEmulator) -> Any:
    """A boto3 Outposts client of the stack's account and region, for the test itself."""
    env = boto3_env(emulator.endpoint)
    return boto3.session.Session(aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
                                 aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"]).client(
        "outposts", region_name=REGION, endpoint_url=emulator.endpoint)


def place_outside_the_stack(emulator: RunningEmulator) -> str:
    """An order placed with boto3 outside the stack, for the program to adopt."""
    return str(client(emulator).create_order(OutpostIdentifier=RACK_OUTPOST_ID, PaymentOption="ALL_UPFRONT",
                                   PaymentTerm="THREE_YEARS",
                                   LineItems=[{"CatalogItemId": SECOND_RACK_CATALOG_ITEM_ID, "Quantity": 1}],
                                   )["Order"]["OrderId"])


@pytest.fixture
def silent_endpoint() -> Iterator[str]:
    """An endpoint that accepts connections and never answers (AWS unreachable behind a firewall)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                held.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    server.close()
    for connection in held:
        connection.close()


def test_review_of_a_realistic_change_set(tmp_path: Path, emulator: RunningEmulator, silent_endpoint: str) -> None:
    project = regionless(new_project(tmp_path, emulator))
    stack = project.stack(before)
    stack.set_config("aws:region", ConfigValue(REGION))
    stack.up()
    ids = {r["urn"].rsplit("::", 1)[-1]: r["id"] for r in resources(stack, ORDER_TYPE)}
    emulator.admin.force_order_status(ids["rack-flight"], "IN_PROGRESS")
    emulator.admin.force_order_status(ids["rack-hist"], "COMPLETED")
    stack.refresh()
    emulator.admin.force_order_status(ids["rack-a"], "IN_PROGRESS")  # after the refresh: the stack says PREPARING
    adopted = place_outside_the_stack(emulator)
    expires = client(emulator).get_quote(QuoteIdentifier=QUOTE_ID)["Quote"]["ExpirationDate"]
    billing = client(emulator).get_outpost_billing_information(OutpostIdentifier=RACK_OUTPOST_ID)
    contract_end = billing["ContractEndDate"]

    stack.workspace.program = lambda: after(adopted)
    preview = stack.preview(json=True).stdout
    emulator.admin.reset_calls()
    review = project.outposts_orders("review", "-", "--require-prices", stdin=preview)
    assert review.returncode == 0, review.stderr

    expected = (Path(__file__).parent / "expected_review.md").read_text().format(
        expires=expires.date().isoformat(), adopted=adopted, contract_end=contract_end,
        **{name.replace("-", "_"): order_id for name, order_id in ids.items()},
    )
    assert review.stdout == expected

    # The table renders: a header, a separator, one row per change, the same number of cells in each.
    lines = review.stdout.splitlines()
    start = lines.index(next(line for line in lines if line.startswith("| Change |")))
    block = lines[start:start + 10]
    assert [len(cells(line)) for line in block] == [9] * 10
    assert lines[start + 10] == ""

    # Read-only and bounded: one GetQuote for both quote orders, one GetCatalogItem per item.
    calls = {op: n for op, n in emulator.admin.calls().items() if n}
    assert calls.get("GetQuote") == 1 and calls.get("GetCatalogItem") == 2
    assert calls.get("GetOutpostBillingInformation") == 1  # one contract per Outpost, whatever the orders
    assert not {"CreateOrder", "CancelOrder", "GetOrder"} & set(calls)
    assert "__provider" not in review.stdout and "gASV" not in review.stdout

    # AWS unreachable (connections accepted, never answered): bounded time, and --require-prices fails.
    project.env.update(AWS_ENDPOINT_URL_OUTPOSTS=silent_endpoint, AWS_ENDPOINT_URL_STS=silent_endpoint)
    started = time.monotonic()
    cut_off = project.outposts_orders("review", "-", "--require-prices", stdin=preview)
    elapsed = time.monotonic() - started
    assert cut_off.returncode == 3, cut_off.stderr
    assert elapsed < 20, f"review waited {elapsed:.0f} s for an unreachable endpoint"
    assert "each call at most 3 s to connect and 5 s to answer" in cut_off.stderr
    failed = [line for line in cut_off.stderr.splitlines() if " failed: " in line]
    assert [line.split(" failed: ")[0] for line in failed] == [
        f"outposts-orders review: GetQuote {QUOTE_ID}",
        f"outposts-orders review: GetCatalogItem {RACK_CATALOG_ITEM_ID}",
        f"outposts-orders review: GetCatalogItem {SECOND_RACK_CATALOG_ITEM_ID}",
        f"outposts-orders review: GetOutpostBillingInformation {RACK_OUTPOST_ID}",
        "outposts-orders review: GetCallerIdentity",
    ]
    assert all("not tried" in line for line in failed[1:])
    print(f"review with AWS unreachable took {elapsed:.1f} s")
    assert "prices could not be read for: rack-c, rack-e" in cut_off.stderr
    assert "| unavailable | unavailable | unavailable |" in cut_off.stdout

    # Without --require-prices the same review is only loud about it.
    lenient = project.outposts_orders("review", "-", stdin=preview)
    assert lenient.returncode == 0
    assert f"⚠️ **price unavailable for `rack-c`**: GetQuote for quote {QUOTE_ID} failed" in lenient.stdout


PROGRAM = f'''
import pulumi
from pulumi_outposts_orders import LineItemArgs, OutpostOrder

config = pulumi.Config()
quantity = config.get_int("quantity") or 1
OutpostOrder("rack", outpost_identifier="{RACK_OUTPOST_ID}",
             line_items=[LineItemArgs(catalog_item_id="{RACK_CATALOG_ITEM_ID}", quantity=quantity)],
             payment_option="NO_UPFRONT", payment_term="THREE_YEARS")
if config.get_bool("typo"):
    pulumi.export("oops", undefined_name)
'''


def test_a_failed_preview_is_never_approved(tmp_path: Path, emulator: RunningEmulator) -> None:
    project = new_project(tmp_path, emulator)
    (project.work_dir / "__main__.py").write_text(PROGRAM)
    stack = project.stack()
    stack.up()
    [order] = resources(stack, ORDER_TYPE)
    emulator.admin.force_order_status(order["id"], "IN_PROGRESS")
    stack.refresh()

    # The provider refuses, at preview, to replace an order in flight: the review shows that error.
    stack.set_config("quantity", ConfigValue("2"))
    refused = project.run("pulumi", "preview", "--json", "--stack", "dev")
    assert refused.returncode != 0 and refused.stdout.startswith("{")
    review = project.outposts_orders("review", "-", stdin=refused.stdout)
    assert review.returncode == 2
    assert "No Outposts orders" not in review.stdout
    lines = review.stdout.splitlines()
    assert lines[4].startswith("🛑 **The preview failed: this change cannot be approved.**")
    assert "**Error in resource `rack`:**" in lines
    assert (f"this change would replace order {order['id']} (IN_PROGRESS at the last refresh), which can no "
            "longer be cancelled") in review.stdout
    assert "the preview failed" in review.stderr

    # A typo in the program: the preview fails, and so does the review.
    stack.set_config("quantity", ConfigValue("1"))
    stack.set_config("typo", ConfigValue("true"))
    broken = project.run("pulumi", "preview", "--json", "--stack", "dev")
    assert broken.returncode != 0
    typo = project.outposts_orders("review", "-", "--fail-on-replace", stdin=broken.stdout)
    assert typo.returncode == 2
    assert "The preview failed" in typo.stdout and "undefined_name" in typo.stdout


def test_review_without_order_changes_and_of_bad_input(tmp_path: Path, emulator: RunningEmulator) -> None:
    project = new_project(tmp_path, emulator)
    stack = project.stack(before)
    stack.up()
    unchanged = project.outposts_orders("review", "--fail-on-replace", stdin=stack.preview(json=True).stdout)
    assert unchanged.returncode == 0
    # Without `--show-sames` the engine leaves unchanged resources out of the JSON.
    assert unchanged.stdout.endswith("\n\nNo Outposts orders or quotes change.\n")
    assert unchanged.stdout.startswith("### Outposts orders in this change\n\nStack `dev` of project `orders-e2e`")

    broken = project.outposts_orders("review", stdin="error: could not load plugin")
    assert broken.returncode == 2
    assert "not JSON" in broken.stderr and broken.stdout == ""
