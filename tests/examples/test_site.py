"""examples/site: one Outposts rack and its site's optics and fibre, in one review, then up, status and destroy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from e2e_project import Project, new_project, table_cells

from pulumi_outposts_orders.emulator import amazon_business as ab
from pulumi_outposts_orders.emulator.app import amazon_business_env
from pulumi_outposts_orders.emulator.outposts.seed import RACK_CATALOG_ITEM_ID, RACK_OUTPOST_ID
from pulumi_outposts_orders.emulator.testing import RunningEmulator

pytestmark = pytest.mark.e2e
NO_CANCEL = "cannot be cancelled: the existing order continues"


def site_project(tmp_path: Path, emulator: RunningEmulator) -> Project:
    """The example against the emulator: Outposts and Amazon Business (its LWA credentials in the environment)."""
    project = new_project(tmp_path, emulator, example="site")
    project.env.update(amazon_business_env(emulator.endpoint))
    return project


def rows(comment: str) -> dict[str, list[str]]:
    """The review table's rows by their Resource cell."""
    cells = [table_cells(line) for line in comment.splitlines() if line.startswith("| ")]
    return {row[1]: row for row in cells[2:]}


def amazon_calls(emulator: RunningEmulator) -> dict[str, int]:
    return {op: n for op, n in emulator.admin.calls().items() if n and op.split(".")[0] in ab.OPERATIONS}


def placed_orders(emulator: RunningEmulator) -> list[dict[str, Any]]:
    return emulator.admin.amazon_business_orders()


def test_site_rack_and_optics_in_one_review_then_up_status_and_destroy(tmp_path: Path,
                                                                      emulator: RunningEmulator) -> None:
    project = site_project(tmp_path, emulator)
    stack = project.stack()
    preview = stack.preview(json=True).stdout
    emulator.admin.reset_calls()
    review = project.outposts_orders("review", "--fail-on-replace", "--require-prices", stdin=preview)
    assert review.returncode == 0, review.stderr
    assert review.stdout.startswith("### Outposts and Amazon Business orders in this change\n")
    assert "Orders: 1 create. Amazon Business orders: 1 create." in review.stdout
    found = rows(review.stdout)
    assert set(found) == {"order `rack`", "Amazon Business order `site-optics`"}
    assert found["order `rack`"][:5] == ["create", "order `rack`", RACK_OUTPOST_ID, f"{RACK_CATALOG_ITEM_ID} x1",
                                         "ALL_UPFRONT / THREE_YEARS"]
    assert found["Amazon Business order `site-optics`"] == [
        "create", "Amazon Business order `site-optics`", "US marketplace", "B07QSFP28A x8, B08MPOFIB1 x4",
        "buyer site-ops@example.com, PO PO-SITE-1",
        "B07QSFP28A: $129.00 each, $1,032.00 in all<br>B08MPOFIB1: $58.50 each, $234.00 in all", "—", "none",
        "$1,266.00 (expected, one purchase)"]
    assert "The review makes no Amazon Business call" in review.stdout
    assert amazon_calls(emulator) == {}, "review needs no Amazon Business credentials or calls"

    stack.up()
    calls = emulator.admin.calls()
    assert calls.get("CreateOrder") == 1 and calls.get("placeOrder") == 1
    emulator.admin.advance_days(1.5)  # the optics ship a day after the order
    stack.refresh()

    status = project.outposts_orders("status", "--stack", "dev", "--cwd", str(project.work_dir), "--markdown")
    assert status.returncode == 0, status.stderr
    lines = status.stdout.splitlines()
    [rack] = [table_cells(line) for line in lines if line.startswith("| `rack` oo-")]
    assert rack[1:4] == [RACK_OUTPOST_ID, "PREPARING", f"{RACK_CATALOG_ITEM_ID} x1"]
    optics = [table_cells(line) for line in lines if line.startswith("| `site-optics` pulumi-")]
    assert [row[1:3] for row in optics] == [["SHIPPED", "B07QSFP28A x8"], ["SHIPPED", "B08MPOFIB1 x4"]]
    assert [row[4] for row in optics] == ["$129.00 each, $1,032.00", "$58.50 each, $234.00"]
    assert all(row[6].startswith("SHIPPED Amazon Logistics TBA") and row[7] == "1,266.00 USD" for row in optics)
    assert all(row[3].startswith("114-") and " to " in row[5] for row in optics)

    destroy = project.run("pulumi", "destroy", "--preview-only", "--json", "--stack", "dev", "--non-interactive")
    assert destroy.returncode == 0, destroy.stderr
    emulator.admin.reset_calls()
    gone = project.outposts_orders("review", stdin=destroy.stdout)
    assert gone.returncode == 0, gone.stderr
    assert rows(gone.stdout)["Amazon Business order `site-optics`"][0] == "**DESTROY: NOT cancelled**"
    [loud] = [line for line in gone.stdout.splitlines() if line.startswith("🛑 **DESTROY `site-optics`")]
    assert f"SHIPPED at the last refresh, {NO_CANCEL}.**" in loud
    assert rows(gone.stdout)["order `rack`"][0] == "**CANCEL**"
    assert amazon_calls(emulator) == {}

    # What the review said: the destroy removes the order from the stack, and Amazon still has it.
    external = stack.outputs()["site_optics"].value["external_id"]
    stack.destroy()
    assert [order["externalId"] for order in placed_orders(emulator)] == [external]
