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
from e2e_project import Project, new_project

from pulumi_outposts_orders._tokens import ORDER_TYPE
from pulumi_outposts_orders.emulator.outposts.seed import (
    RACK_CATALOG_ITEM_ID,
    RACK_OUTPOST_ID,
    SECOND_RACK_CATALOG_ITEM_ID,
)
from pulumi_outposts_orders.emulator.testing import ACCOUNT_ID, RunningEmulator
from pulumi_outposts_orders.importer import NOTE_FIELD

from .programs import aws_client, orders, rack

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


def test_import_of_an_order_the_stack_tracks_is_refused(tmp_path: Path, emulator: RunningEmulator) -> None:
    project = empty_stack(tmp_path, emulator)
    order_id = place_outside_the_stack(emulator, [(RACK_CATALOG_ITEM_ID, 1)])
    assert project.outposts_orders("import", f"{order_id}=rack", "--file", "orders.json").returncode == 0
    imported = project.run("pulumi", "import", "--file", "orders.json", "--generate-code=false", "--yes",
                           "--non-interactive")
    assert imported.returncode == 0, imported.stdout + imported.stderr
    before = project.run("pulumi", "stack", "export").stdout
    urn = f"urn:pulumi:dev::adopt::{ORDER_TYPE}::rack"
    assert [r["urn"] for r in json.loads(before)["deployment"]["resources"] if r.get("id") == order_id] == [urn]

    again = project.outposts_orders("import", f"{order_id}=rack-again", "--file", "again.json")
    assert again.returncode == 2
    assert again.stderr == (
        f"outposts-orders import: order {order_id} is already tracked by the stack as {urn}; importing it would "
        "make two resources track one order\n"
        "outposts-orders import: nothing was written to again.json\n"
    )
    assert not (project.work_dir / "again.json").exists()
    assert project.run("pulumi", "stack", "export").stdout == before, "the stack is unchanged"


def test_import_of_an_order_another_stack_placed_is_refused(tmp_path: Path, emulator: RunningEmulator) -> None:
    project = empty_stack(tmp_path, emulator)
    placer = project.stack(orders(rack=rack()), stack_name="placer")
    order_id = placer.up(on_output=lambda _: None).outputs["rack"].value["order_id"]
    project.run("pulumi", "stack", "select", "dev")
    before = project.run("pulumi", "stack", "export").stdout

    done = project.outposts_orders("import", f"{order_id}=rack", "--stack", "dev", "--file", "orders.json")
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert lines[0].startswith(f"outposts-orders import: order {order_id} is already claimed by resource "
                               "organization/adopt/placer/rack in this machine's attempt journal (")
    assert "importing it would make two resources track one order" in lines[0]
    assert lines[1:] == ["outposts-orders import: nothing was written to orders.json"]
    assert not (project.work_dir / "orders.json").exists()
    assert project.run("pulumi", "stack", "export").stdout == before, "the stack is unchanged"


def test_import_of_a_cancelled_order_is_refused_and_nothing_is_written(
    tmp_path: Path, emulator: RunningEmulator
) -> None:
    project = empty_stack(tmp_path, emulator)
    live = place_outside_the_stack(emulator, [(RACK_CATALOG_ITEM_ID, 1)])
    cancelled = place_outside_the_stack(emulator, [(RACK_CATALOG_ITEM_ID, 2)])
    aws_client(emulator).cancel_order(OrderId=cancelled)
    failed = place_outside_the_stack(emulator, [(SECOND_RACK_CATALOG_ITEM_ID, 1)])
    emulator.admin.force_order_status(failed, "ERROR")
    before = project.run("pulumi", "stack", "export").stdout

    done = project.outposts_orders("import", f"{live}=live", f"{cancelled}=old", f"{failed}=broken",
                                   "--file", "orders.json")
    assert done.returncode == 2
    assert done.stderr == (
        f"outposts-orders import: order {cancelled} is CANCELLED: it will never be fulfilled, and the stack would "
        "track it as its resource. To import it on purpose, to keep its history, pass --allow-terminal\n"
        f"outposts-orders import: order {failed} is ERROR: it will never be fulfilled, and the stack would "
        "track it as its resource. To import it on purpose, to keep its history, pass --allow-terminal\n"
        "outposts-orders import: nothing was written to orders.json\n"
    )
    assert done.stdout == ""
    assert not (project.work_dir / "orders.json").exists(), "not even the live order's entry"
    assert project.run("pulumi", "stack", "export").stdout == before, "the stack is unchanged"


def test_import_of_a_cancelled_order_with_allow_terminal_is_written_and_flagged(
    tmp_path: Path, emulator: RunningEmulator
) -> None:
    project = empty_stack(tmp_path, emulator)
    live = place_outside_the_stack(emulator, [(RACK_CATALOG_ITEM_ID, 1)])
    cancelled = place_outside_the_stack(emulator, [(RACK_CATALOG_ITEM_ID, 2)])
    aws_client(emulator).cancel_order(OrderId=cancelled)

    done = project.outposts_orders("import", f"{live}=live", f"{cancelled}=old", "--allow-terminal",
                                   "--file", "orders.json")
    assert done.returncode == 0, done.stderr
    note = (f"order {cancelled} was CANCELLED when imported: imported on purpose (--allow-terminal) to keep its "
            "history; it is not a live order")
    assert done.stderr == f"outposts-orders import: {note}; its entry in orders.json is flagged ('{NOTE_FIELD}')\n"
    entries = {e["name"]: e for e in json.loads((project.work_dir / "orders.json").read_text())["resources"]}
    assert entries["old"][NOTE_FIELD] == note
    assert NOTE_FIELD not in entries["live"]

    program = project.work_dir / "__main__.py"
    program.write_text(done.stdout[done.stdout.index("from pulumi_outposts_orders import"):
                                   done.stdout.index("\n2. pulumi import")])
    imported = project.run("pulumi", "import", "--file", "orders.json", "--generate-code=false", "--yes",
                           "--non-interactive")
    assert imported.returncode == 0, imported.stdout + imported.stderr  # the engine accepts the flagged entry
    assert statuses(project.run("pulumi", "stack", "export").stdout) == {"live": "PREPARING", "old": "CANCELLED"}
    up = project.run("pulumi", "up", "--yes", "--non-interactive")
    assert up.returncode == 0, up.stdout + up.stderr
    assert "3 unchanged" in up.stdout


def empty_stack(tmp_path: Path, emulator: RunningEmulator) -> Project:
    """A project with an empty program and its selected stack ``dev``."""
    project = new_project(tmp_path, emulator, name="adopt")
    (project.work_dir / "__main__.py").write_text("import pulumi\n")
    assert project.run("pulumi", "stack", "init", "dev").returncode == 0
    return project


def statuses(exported: str) -> dict[str, Any]:
    """Order statuses by resource name in a `pulumi stack export`."""
    resources = json.loads(exported)["deployment"].get("resources") or []
    return {r["urn"].rsplit("::", 1)[-1]: r["outputs"]["status"] for r in resources
            if r["type"].endswith(":OutpostOrder")}


def test_import_reads_orders_where_the_stacks_provider_would(tmp_path: Path, emulator: RunningEmulator) -> None:
    """The stack's aws:region and aws:profile win over the environment, as they do for the provider."""
    project = new_project(tmp_path, emulator, name="adopt-region")
    project.env = {**project.env, "AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "eu-west-1"}
    (project.work_dir / "__main__.py").write_text("import pulumi\n")
    assert project.run("pulumi", "stack", "init", "dev").returncode == 0
    assert project.run("pulumi", "config", "set", "aws:region", "us-east-1").returncode == 0
    rack = place_outside_the_stack(emulator, [(RACK_CATALOG_ITEM_ID, 1)])
    emulator.admin.reset_calls()

    written = project.outposts_orders("import", f"{rack}=rack", "--file", "orders.json")
    assert written.returncode == 0, written.stderr
    [entry] = json.loads((project.work_dir / "orders.json").read_text())["resources"]
    assert entry["id"] == rack and entry["outputs"]["region"] == "us-east-1"
    assert "region" not in entry["inputs"], "the stack's config keeps supplying it"

    assert project.run("pulumi", "config", "set", "aws:profile", "no-such-profile").returncode == 0
    refused = project.outposts_orders("import", f"{rack}=rack", "--file", "other.json")
    assert refused.returncode == 2
    assert "AWS profile 'no-such-profile' (from aws:profile) is not configured on this machine" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert not (project.work_dir / "other.json").exists()
    assert emulator.admin.calls() == {"GetOrder": 1}, "only reads"
