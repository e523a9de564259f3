"""`outposts-orders status` after the emulator's clock moved: stages, shipment, assets, dates."""

from __future__ import annotations

from pathlib import Path

import pytest
from e2e_project import new_project
from e2e_project import table_cells as cells

from pulumi_outposts_orders import LineItemArgs, OutpostOrder
from pulumi_outposts_orders.emulator.seed import RACK_CATALOG_ITEM_ID, RACK_OUTPOST_ID, SECOND_RACK_CATALOG_ITEM_ID
from pulumi_outposts_orders.emulator.testing import RunningEmulator

pytestmark = pytest.mark.e2e


def order(name: str, item: str) -> OutpostOrder:
    return OutpostOrder(
        name,
        outpost_identifier=RACK_OUTPOST_ID,
        line_items=[LineItemArgs(catalog_item_id=item, quantity=1)],
        payment_option="NO_UPFRONT",
        payment_term="THREE_YEARS",
    )


def first() -> None:
    order("rack-early", RACK_CATALOG_ITEM_ID)


def both() -> None:
    first()
    order("rack-late", SECOND_RACK_CATALOG_ITEM_ID)


def test_status_shows_each_line_items_stage_after_the_clock_moves(tmp_path: Path, emulator: RunningEmulator) -> None:
    project = new_project(tmp_path, emulator)
    stack = project.stack(first)
    stack.up()
    emulator.admin.advance_days(8)  # rack-early: built and shipped
    stack.workspace.program = both
    stack.up()  # rack-late: just placed
    stack.refresh()

    emulator.admin.reset_calls()
    done = project.outposts_orders("status", "--stack", "dev", "--cwd", str(project.work_dir), "--markdown")
    assert done.returncode == 0, done.stderr
    assert sum(emulator.admin.calls().values()) == 0, "status reads the stack's state, not AWS"

    lines = done.stdout.splitlines()
    assert lines[0] == "### Outposts orders of stack `dev`"
    header, separator, early, late = lines[2:6]
    assert cells(header) == ["Order", "Outpost", "Order status", "Line item", "Stage", "Shipment", "Assets",
                             "Submitted", "Fulfilled"]
    assert set(cells(separator)) == {"---"}
    assert len(lines) == 6

    early_cells, late_cells = cells(early), cells(late)
    assert early_cells[0].startswith("`rack-early` oo-")
    assert early_cells[1:4] == [RACK_OUTPOST_ID, "IN_PROGRESS", f"{RACK_CATALOG_ITEM_ID} x1"]
    assert early_cells[4] == "▰▰▰▱▱▱ SHIPPED (3/6)"
    carrier, tracking = early_cells[5].split(" ")
    assert carrier and tracking
    assert early_cells[6] != "—"  # asset IDs of the built hardware
    assert early_cells[8] == "—"  # not fulfilled yet

    assert late_cells[0].startswith("`rack-late` oo-")
    assert late_cells[2:7] == ["PREPARING", f"{SECOND_RACK_CATALOG_ITEM_ID} x1", "▰▱▱▱▱▱ PREPARING (1/6)", "—", "—"]

    # The same in a terminal table, selected stack and current directory by default.
    assert project.run("pulumi", "stack", "select", "dev").returncode == 0
    terminal = project.outposts_orders("status")
    assert terminal.returncode == 0, terminal.stderr
    assert "Outposts orders of stack dev" in terminal.stdout
    assert "SHIPPED" in terminal.stdout and "PREPARING" in terminal.stdout


def test_status_of_a_missing_stack_fails_clearly(tmp_path: Path, emulator: RunningEmulator) -> None:
    project = new_project(tmp_path, emulator)
    done = project.outposts_orders("status", "--stack", "nope", "--markdown")
    assert done.returncode == 2
    assert done.stderr.startswith("outposts-orders status: cannot read stack nope")
