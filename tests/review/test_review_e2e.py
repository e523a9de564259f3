"""`outposts-orders review` of a real `pulumi preview --json`: a create, a replace and a cancel."""

from __future__ import annotations

from pathlib import Path

import pulumi
import pytest
from e2e_project import new_project, resources
from e2e_project import table_cells as cells

from pulumi_outposts_orders import LineItemArgs, OutpostOrder
from pulumi_outposts_orders._tokens import ORDER_TYPE
from pulumi_outposts_orders.emulator.seed import (
    QUOTE_ID,
    QUOTE_OPTION_IDS,
    RACK_CATALOG_ITEM_ID,
    RACK_OUTPOST_ID,
    SECOND_RACK_CATALOG_ITEM_ID,
)
from pulumi_outposts_orders.emulator.testing import RunningEmulator

pytestmark = pytest.mark.e2e


def line_item_order(name: str, quantity: int) -> OutpostOrder:
    return OutpostOrder(
        name,
        outpost_identifier=RACK_OUTPOST_ID,
        line_items=[LineItemArgs(catalog_item_id=RACK_CATALOG_ITEM_ID, quantity=quantity)],
        payment_option="NO_UPFRONT",
        payment_term="THREE_YEARS",
    )


def before() -> None:
    line_item_order("rack-a", 1)
    line_item_order("rack-b", 1)


def after() -> None:
    line_item_order("rack-a", 2)  # replaced
    # rack-b removed: cancelled
    OutpostOrder(  # created from the seeded quote
        "rack-c",
        outpost_identifier=RACK_OUTPOST_ID,
        quote_identifier=QUOTE_ID,
        quote_option_identifier=QUOTE_OPTION_IDS[0],
        payment_option="PARTIAL_UPFRONT",
        payment_term="THREE_YEARS",
    )
    OutpostOrder(
        "rack-d",
        outpost_identifier=RACK_OUTPOST_ID,
        line_items=[LineItemArgs(catalog_item_id=SECOND_RACK_CATALOG_ITEM_ID, quantity=1)],
        payment_option="ALL_UPFRONT",
    )
    pulumi.export("unused", 1)


def test_review_of_a_preview_with_a_create_a_replace_and_a_cancel(tmp_path: Path, emulator: RunningEmulator) -> None:
    project = new_project(tmp_path, emulator)
    stack = project.stack(before)
    stack.up()
    ids = {r["urn"].rsplit("::", 1)[-1]: r["id"] for r in resources(stack, ORDER_TYPE)}

    stack.workspace.program = after
    preview = stack.preview(json=True).stdout
    emulator.admin.reset_calls()
    review = project.outposts_orders("review", "-", stdin=preview)
    assert review.returncode == 0, review.stderr

    # The expected comment, with the two order IDs this run placed filled in.
    expected = (Path(__file__).parent / "expected_review.md").read_text().format(
        rack_a=ids["rack-a"], rack_b=ids["rack-b"]
    )
    assert review.stdout == expected

    # The table renders: a header, a separator, one row per change, the same number of cells in each.
    lines = review.stdout.splitlines()
    start = lines.index(next(line for line in lines if line.startswith("| Change |")))
    block = lines[start:start + 6]
    assert [len(cells(line)) for line in block] == [7] * 6
    assert set(cells(block[1])) == {"---"}
    assert lines[start + 6] == ""
    assert [cells(line)[1] for line in block[2:]] == ["order `rack-a`", "order `rack-b`", "order `rack-c`",
                                                     "order `rack-d`"]

    # Prices come from one read-only GetQuote; nothing is ordered or cancelled by a review.
    assert {op: n for op, n in emulator.admin.calls().items() if n} == {"GetQuote": 1}
    assert "__provider" not in review.stdout and "gASV" not in review.stdout

    # The same preview from a file, failing the check because an order would be replaced.
    (tmp_path / "preview.json").write_text(preview)
    strict = project.outposts_orders("review", str(tmp_path / "preview.json"), "--fail-on-replace")
    assert strict.returncode == 1
    assert strict.stdout == expected
    assert "orders would be replaced: rack-a" in strict.stderr


def test_review_without_order_changes_and_of_bad_input(tmp_path: Path, emulator: RunningEmulator) -> None:
    project = new_project(tmp_path, emulator)
    stack = project.stack(before)
    stack.up()
    unchanged = project.outposts_orders("review", "--fail-on-replace", stdin=stack.preview(json=True).stdout)
    assert unchanged.returncode == 0
    # Without `--show-sames` the engine leaves unchanged resources out of the JSON.
    assert unchanged.stdout == "### Outposts orders in this change\n\nNo Outposts orders or quotes change.\n"

    broken = project.outposts_orders("review", stdin="error: could not load plugin")
    assert broken.returncode == 2
    assert "not JSON" in broken.stderr
