"""`outposts-orders import` + `pulumi import --file`: orders placed outside the stack become its own.

Through the real engine and the `pulumi` CLI: the import reads each order once and places nothing,
the engine adopts them without calling the provider's Read, the next `up` makes no Outposts call and
shows no change, `refresh` tracks them, `destroy` cancels the one still cancellable.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from e2e_project import new_project

from pulumi_outposts_orders.emulator.seed import (
    RACK_CATALOG_ITEM_ID,
    RACK_OUTPOST_ID,
    SECOND_RACK_CATALOG_ITEM_ID,
)
from pulumi_outposts_orders.emulator.testing import ACCOUNT_ID, RunningEmulator

from .programs import aws_client

pytestmark = pytest.mark.e2e


def place_outside_the_stack(emulator: RunningEmulator, items: list[tuple[str, int]]) -> str:
    order = aws_client(emulator).create_order(
        OutpostIdentifier=RACK_OUTPOST_ID, PaymentOption="NO_UPFRONT", PaymentTerm="THREE_YEARS",
        LineItems=[{"CatalogItemId": item, "Quantity": n} for item, n in items])["Order"]
    return str(order["OrderId"])


def test_orders_placed_outside_the_stack_are_imported_tracked_and_cancelled(
    tmp_path: Path, emulator: RunningEmulator
) -> None:
    project = new_project(tmp_path, emulator, name="adopt")
    program = project.work_dir / "__main__.py"
    program.write_text("import pulumi\n")
    assert project.run("pulumi", "stack", "init", "dev").returncode == 0
    rack = place_outside_the_stack(emulator, [(RACK_CATALOG_ITEM_ID, 2)])
    spare = place_outside_the_stack(emulator, [(RACK_CATALOG_ITEM_ID, 1), (SECOND_RACK_CATALOG_ITEM_ID, 1)])
    emulator.admin.reset_calls()

    written = project.outposts_orders("import", f"{rack}=rack", f"{spare}=spare", "--file", "orders.json")
    assert written.returncode == 0, written.stderr
    assert emulator.admin.calls() == {"GetOrder": 2}, "the import command only reads"
    # The printed declarations are the program.
    start = written.stdout.index("from pulumi_outposts_orders import")
    program.write_text(written.stdout[start:written.stdout.index("\n2. pulumi import")])
    entries = json.loads((project.work_dir / "orders.json").read_text())["resources"]
    assert [(e["name"], e["id"]) for e in entries] == [("rack", rack), ("spare", spare)]
    assert all(e["inputs"]["__provider"] == e["outputs"]["__provider"] for e in entries)

    emulator.admin.reset_calls()
    imported = project.run("pulumi", "import", "--file", "orders.json", "--generate-code=false", "--yes",
                           "--non-interactive")
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert "2 imported" in imported.stdout
    assert emulator.admin.calls() == {}, "with outputs supplied the engine skips Read"

    preview = project.run("pulumi", "preview", "--json", "--non-interactive")
    assert preview.returncode == 0, preview.stderr
    assert {step["op"] for step in json.loads(preview.stdout)["steps"]} == {"same"}
    up = project.run("pulumi", "up", "--yes", "--non-interactive")
    assert up.returncode == 0, up.stdout + up.stderr
    assert "3 unchanged" in up.stdout  # the stack and the two orders
    assert emulator.admin.calls() == {}, "no Outposts call: nothing is placed again"

    aws_client(emulator).cancel_order(OrderId=spare)  # someone cancels one outside the stack
    emulator.admin.reset_calls()
    refreshed = project.run("pulumi", "refresh", "--yes", "--skip-preview", "--non-interactive")
    assert refreshed.returncode == 0, refreshed.stdout + refreshed.stderr
    assert emulator.admin.calls() == {"GetCallerIdentity": 1, "GetOrder": 2}  # the account: once per run
    exported = project.run("pulumi", "stack", "export").stdout
    assert statuses(exported) == {"rack": "PREPARING", "spare": "CANCELLED"}
    # Imported without an account (the import file has none): the refresh records the caller's.
    assert {r["outputs"].get("account_id") for r in json.loads(exported)["deployment"]["resources"]
            if r["type"].endswith(":OutpostOrder")} == {ACCOUNT_ID}

    emulator.admin.reset_calls()
    destroyed = project.run("pulumi", "destroy", "--yes", "--non-interactive")
    assert destroyed.returncode == 0, destroyed.stdout + destroyed.stderr
    assert emulator.admin.calls() == {"GetCallerIdentity": 1, "GetOrder": 2, "CancelOrder": 1}
    assert aws_client(emulator).get_order(OrderId=rack)["Order"]["Status"] == "CANCELLED"
    assert statuses(project.run("pulumi", "stack", "export").stdout) == {}


def test_import_of_a_missing_order_writes_nothing(tmp_path: Path, emulator: RunningEmulator) -> None:
    project = new_project(tmp_path, emulator, name="adopt")
    (project.work_dir / "__main__.py").write_text("import pulumi\n")
    assert project.run("pulumi", "stack", "init", "dev").returncode == 0
    done = project.outposts_orders("import", "oo-0123456789abcdef0", "--file", "orders.json")
    assert done.returncode == 2
    assert done.stderr == "outposts-orders import: order oo-0123456789abcdef0 does not exist in region us-east-1; " \
                          "nothing was written\n"
    assert not (project.work_dir / "orders.json").exists()


def statuses(exported: str) -> dict[str, Any]:
    """Order statuses by resource name in a `pulumi stack export`."""
    resources = json.loads(exported)["deployment"].get("resources") or []
    return {r["urn"].rsplit("::", 1)[-1]: r["outputs"]["status"] for r in resources
            if r["type"].endswith(":OutpostOrder")}
