"""Mistakes in a program stop it with one short message and no traceback, before anything is ordered.

Through the real engine and the project's language host (`pulumi preview` of the examples' own
programs): the quickstart's config (`quantity 0`, a missing Outpost against AWS), a bad `fleet.toml`
entry (named by its `name`), and a quote option choice that matches nothing.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from e2e_project import EXAMPLES, Project, new_project

from pulumi_outposts_orders.emulator.testing import RunningEmulator

pytestmark = pytest.mark.e2e


def quickstart(tmp_path: Path, emulator: RunningEmulator) -> Project:
    project = new_project(tmp_path, emulator, name="quickstart")
    shutil.copy(EXAMPLES / "quickstart" / "__main__.py", project.work_dir / "__main__.py")
    assert project.run("pulumi", "stack", "init", "dev").returncode == 0
    return project


def preview(project: Project) -> subprocess.CompletedProcess[str]:
    return project.run("pulumi", "preview", "--non-interactive")


def assert_one_message(done: subprocess.CompletedProcess[str], message: str) -> None:
    """The preview failed, showing ``message`` once per view (progress and diagnostics), no traceback."""
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert "Traceback" not in output and "has risen" not in output, output
    assert "error: " + message in output, output
    assert output.count(message) <= 2, output  # the progress line and the Diagnostics section


def test_quickstart_refuses_quantity_zero(tmp_path: Path, emulator: RunningEmulator) -> None:
    project = quickstart(tmp_path, emulator)
    assert project.run("pulumi", "config", "set", "quantity", "0").returncode == 0
    assert_one_message(preview(project), "config `quantity` must be a whole number of at least 1 (got 0)")
    assert project.run("pulumi", "config", "set", "quantity", "two").returncode == 0
    assert_one_message(preview(project), "Configuration 'quickstart:quantity' value 'two' is not a valid 'int'")
    assert project.run("pulumi", "config", "set", "quantity", "2").returncode == 0
    done = preview(project)
    assert done.returncode == 0, done.stdout + done.stderr
    assert emulator.admin.calls() == {}


def test_quickstart_against_aws_needs_the_outpost_in_config(tmp_path: Path, emulator: RunningEmulator) -> None:
    project = quickstart(tmp_path, emulator)
    del project.env["AWS_ENDPOINT_URL_OUTPOSTS"]  # real AWS: no emulator IDs are guessed
    assert_one_message(preview(project), "Missing required configuration variable 'quickstart:outpost'")


def test_a_bad_fleet_entry_is_named_by_its_name(tmp_path: Path, emulator: RunningEmulator) -> None:
    project = new_project(tmp_path, emulator, example="fleet")
    assert project.run("pulumi", "stack", "init", "dev").returncode == 0
    fleet = project.work_dir / "fleet.toml"
    fleet.write_text(fleet.read_text().replace('"OR-S4E5R6V" = 1', '"OR-S4E5R6V" = 0'))
    assert_one_message(preview(project),
                       'fleet.toml: order "austin-servers": items.OR-S4E5R6V must be a whole number of at least 1')


def test_an_option_choice_matching_nothing_stops_the_deployment(tmp_path: Path, emulator: RunningEmulator) -> None:
    project = new_project(tmp_path, emulator, example="quote_order")
    assert project.run("pulumi", "stack", "init", "dev").returncode == 0
    for key, value in (("place_order", "true"), ("racks", "3"), ("expected_upfront_price", "1")):
        assert project.run("pulumi", "config", "set", key, value).returncode == 0
    up = project.run("pulumi", "up", "--yes", "--skip-preview", "--non-interactive")
    assert_one_message(up, "no quote option is priced for PARTIAL_UPFRONT / THREE_YEARS accepted by `where`")
    assert "CreateOrder" not in emulator.admin.calls()
