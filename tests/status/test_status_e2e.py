"""`outposts-orders status` after the emulator's clock moved: stages, shipment, assets, dates."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from e2e_project import new_project
from e2e_project import table_cells as cells

from pulumi_outposts_orders import LineItemArgs, OutpostOrder
from pulumi_outposts_orders.emulator.outposts.seed import (
    RACK_CATALOG_ITEM_ID,
    RACK_OUTPOST_ID,
    SECOND_RACK_CATALOG_ITEM_ID,
)
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
    assert lines[2].startswith("As of the last refresh or update: 20") and lines[2].endswith(
        " UTC. Run `pulumi refresh` for the current state.")
    header, separator, early, late = lines[4:8]
    assert cells(header) == ["Order", "Outpost", "Order status", "Line item", "Stage", "Shipment", "Assets",
                             "Payment", "Region", "Account", "Submitted", "Fulfilled"]
    assert set(cells(separator)) == {"---"}
    assert len(lines) == 8

    early_cells, late_cells = cells(early), cells(late)
    assert early_cells[0].startswith("`rack-early` oo-")
    assert early_cells[1:4] == [RACK_OUTPOST_ID, "IN_PROGRESS", f"{RACK_CATALOG_ITEM_ID} x1"]
    assert early_cells[4] == "▰▰▰▱▱▱ SHIPPED (3/6)"
    carrier, tracking = early_cells[5].split(" ")
    assert carrier and tracking
    assert early_cells[6] != "—"  # asset IDs of the built hardware
    assert early_cells[7:9] == ["NO_UPFRONT / THREE_YEARS", "us-east-1"]
    assert early_cells[11] == "—"  # not fulfilled yet

    assert late_cells[0].startswith("`rack-late` oo-")
    assert late_cells[2:7] == ["PREPARING", f"{SECOND_RACK_CATALOG_ITEM_ID} x1", "▰▱▱▱▱▱ PREPARING (1/6)", "—", "—"]

    # The same in a terminal table, selected stack and current directory by default.
    assert project.run("pulumi", "stack", "select", "dev").returncode == 0
    terminal = project.outposts_orders("status")
    assert terminal.returncode == 0, terminal.stderr
    assert "Outposts orders of stack dev" in terminal.stdout
    assert "SHIPPED" in terminal.stdout and "PREPARING" in terminal.stdout and "NO_UPFRONT" in terminal.stdout
    assert "As of the last refresh or update: " in terminal.stdout


def test_status_of_a_missing_stack_fails_clearly(tmp_path: Path, emulator: RunningEmulator) -> None:
    project = new_project(tmp_path, emulator)
    done = project.outposts_orders("status", "--stack", "nope", "--markdown")
    assert done.returncode == 2
    assert done.stderr.startswith("outposts-orders status: cannot read stack nope")


REPO = Path(__file__).resolve().parents[2]


def test_status_after_make_demo_finds_the_demo_stack_like_pulumi(tmp_path: Path) -> None:
    """`make demo`'s layout in a copy of the repository; status from a subdirectory, in a fresh shell."""
    if shutil.which("pulumi") is None:
        pytest.skip("the Pulumi engine is not on PATH (run through `make test`)")
    repo = tmp_path / "repo"
    (repo / "scripts").mkdir(parents=True)
    shutil.copy(REPO / "Pulumi.yaml", repo)
    shutil.copy(REPO / "scripts" / "demo.py", repo / "scripts")
    shutil.copytree(REPO / "examples" / "quickstart", repo / "examples" / "quickstart", symlinks=True,
                    ignore=shutil.ignore_patterns("__pycache__"))
    (repo / ".venv").symlink_to(sys.prefix)
    # What the Makefile exports for `make demo`: its backend and home under .local, the demo passphrase.
    fresh = {k: v for k, v in os.environ.items() if not k.startswith(("PULUMI_", "AWS_"))}
    make = {**fresh, "PULUMI_BACKEND_URL": f"file://{repo}/.local/state", "PULUMI_HOME": f"{repo}/.local/pulumi-home",
            "PULUMI_CONFIG_PASSPHRASE": "outposts-orders-demo", "PULUMI_SKIP_UPDATE_CHECK": "true",
            "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])}
    demo = subprocess.run([sys.executable, "scripts/demo.py"], cwd=repo, env=make, capture_output=True, text=True,
                          timeout=600)
    assert demo.returncode == 0, demo.stdout + demo.stderr
    # The demo ends with the product's own status view (the same table as `outposts-orders status`).
    tail = demo.stdout[demo.stdout.rindex("Outposts orders of stack dev"):]
    assert "Line item" in tail and "Shipment, assets" in tail and "As of the last refresh or update" in tail

    # A new shell: no backend variable, the default Pulumi home (no stack selected there).
    shell = {**fresh, "PULUMI_HOME": str(tmp_path / "default-home"), "PATH": make["PATH"],
             "PULUMI_CONFIG_PASSPHRASE": "outposts-orders-demo"}
    script = str(Path(sys.executable).with_name("outposts-orders"))
    found = subprocess.run([script, "status", "--markdown"], cwd=repo / "examples", env=shell, capture_output=True,
                           text=True, timeout=300)
    assert found.returncode == 0, found.stderr
    lines = found.stdout.splitlines()
    assert lines[0] == "### Outposts orders of stack `dev`"
    assert cells(lines[6])[0].startswith("`rack` oo-") and cells(lines[6])[4] == "▰▰▰▱▱▱ SHIPPED (3/6)"

    no_passphrase = {k: v for k, v in shell.items() if k != "PULUMI_CONFIG_PASSPHRASE"}
    refused = subprocess.run([script, "status"], cwd=repo, env=no_passphrase, capture_output=True, text=True,
                             timeout=300)
    assert refused.returncode == 2
    assert "set PULUMI_CONFIG_PASSPHRASE (the stacks of `make demo` use outposts-orders-demo" in refused.stderr

    no_engine = {**shell, "PATH": os.pathsep.join(p for p in shell["PATH"].split(os.pathsep)
                                                  if p and not (Path(p) / "pulumi").exists())}
    missing = subprocess.run([script, "status"], cwd=repo, env=no_engine, capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2
    assert missing.stderr.startswith("outposts-orders status: the Pulumi engine (`pulumi`) is not on PATH.")
    assert 'export PATH="$(make -s engine | tail -n1):$PATH"' in missing.stderr and "Errno" not in missing.stderr
