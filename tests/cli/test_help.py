"""`outposts-orders --help` (and the emulator's) starts without the Pulumi SDK or boto3.

Subcommands are registered by name and their work is imported when they run, so help and the
emulator never pay for pulumi (about 0.1 s) or boto3/botocore (about 0.1 s) at start.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

HEAVY = ("pulumi", "boto3", "botocore")


def imported_modules(*argv: str) -> set[str]:
    """Every module that ``python -X importtime -m pulumi_outposts_orders.cli ARGV`` imports."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "pulumi_outposts_orders.cli", *argv],
                          capture_output=True, text=True, check=True)
    assert done.stdout.startswith("usage: outposts-orders")
    return {match.group(1) for match in re.finditer(r"^import time:.*\|\s+(\S+)$", done.stderr, re.MULTILINE)}


@pytest.mark.parametrize("argv", [("--help",), ("emulator", "--help"), ("review", "--help"), ("status", "--help")])
def test_help_imports_neither_pulumi_nor_boto3(argv: tuple[str, ...]) -> None:
    modules = imported_modules(*argv)
    assert "pulumi_outposts_orders.cli" in modules or "pulumi_outposts_orders" in modules  # the list is real
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY)
    assert heavy == [], f"`outposts-orders {' '.join(argv)}` imports {heavy}"
