"""examples/fleet: orders generated from fleet.toml, reviewed through the CLI preview."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from e2e_project import EXAMPLES, new_project, table_cells

from pulumi_outposts_orders.emulator.testing import RunningEmulator


def fleet_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fleet", EXAMPLES / "fleet" / "fleet.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["fleet"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.e2e
def test_fleet_orders_and_a_reviewed_change(tmp_path: Path, emulator: RunningEmulator) -> None:
    project = new_project(tmp_path, emulator, example="fleet")
    stack = project.stack()
    stack.up()
    outputs = {name: value.value for name, value in stack.outputs().items()}
    assert outputs["seattle-rack_status"] == outputs["austin-servers_status"] == "PREPARING"
    assert emulator.admin.calls().get("CreateOrder") == 2

    fleet = project.work_dir / "fleet.toml"
    fleet.write_text(fleet.read_text().replace('items = { "OR-A1B2C3D" = 1 }', 'items = { "OR-A1B2C3D" = 2 }'))
    preview = project.run("pulumi", "preview", "--stack", "dev", "--json", "--show-sames", "--non-interactive")
    assert preview.returncode == 0, preview.stderr
    review = project.outposts_orders("review", "--fail-on-replace", stdin=preview.stdout)
    assert review.returncode == 1
    table = [table_cells(line) for line in review.stdout.splitlines() if line.startswith("| ")]
    assert len(table) == 4  # header, separator, two orders
    rows = {cells[1]: cells for cells in table[2:]}
    assert rows["order `seattle-rack`"][0] == "**REPLACE**"
    assert rows["order `seattle-rack`"][3] == "OR-A1B2C3D x2 (was OR-A1B2C3D x1)"
    assert rows["order `austin-servers`"][0] == "no change"
    assert rows["order `austin-servers`"][3] == "OR-S1E2R3V x2, OR-S4E5R6V x1"
    assert rows["order `austin-servers`"][4] == "ALL_UPFRONT / THREE_YEARS"


def test_fleet_file_errors_name_the_entry_and_key(tmp_path: Path) -> None:
    fleet = fleet_module()
    path = tmp_path / "fleet.toml"
    cases = {
        '[[orders]]\nname = "a"\noutpost = "op-0123456789abcdef0"\nitems = { "OR-A1B2C3D" = 0 }\n'
        'payment_option = "ALL_UPFRONT"\n': 'fleet.toml: order "a": items.OR-A1B2C3D must be a whole number',
        '[[orders]]\nname = "a"\nitems = { "OR-A1B2C3D" = 1 }\n': 'fleet.toml: order "a": outpost is required',
        '[[orders]]\nname = "a"\noutpost = "op-0123456789abcdef0"\nitems = { "OR-A1B2C3D" = 1 }\n':
            'fleet.toml: order "a": payment_option is required',
        'payment_option = "NO_UPFRONT"\n[[orders]]\nname = "a"\noutpost = "x"\nitems = { "I" = 1 }\nqty = 2\n':
            'fleet.toml: order "a": unknown key(s) qty',
        "title = 'no orders'\n": "fleet.toml: add at least one [[orders]] table",
    }
    for text, message in cases.items():
        path.write_text(text)
        with pytest.raises(fleet.FleetError) as raised:
            fleet.load(path)
        assert str(raised.value).startswith(message), str(raised.value)

    planned = fleet.load(EXAMPLES / "fleet" / "fleet.toml")
    assert [(p.name, p.items, p.payment_option, p.payment_term) for p in planned] == [
        ("seattle-rack", {"OR-A1B2C3D": 1}, "NO_UPFRONT", "THREE_YEARS"),
        ("austin-servers", {"OR-S1E2R3V": 2, "OR-S4E5R6V": 1}, "ALL_UPFRONT", "THREE_YEARS"),
    ]
