"""The `outposts-orders` console script is installed and explains itself."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_console_script_prints_usage() -> None:
    script = str(Path(sys.executable).with_name("outposts-orders"))
    done = subprocess.run([script, "--help"], capture_output=True, text=True, check=True)
    assert done.stdout.startswith("usage: outposts-orders")
    assert "AWS Outposts hardware orders" in done.stdout


def test_unknown_subcommand_fails_with_usage() -> None:
    done = subprocess.run([sys.executable, "-m", "pulumi_outposts_orders.cli", "no-such-command"],
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert "invalid choice: 'no-such-command'" in done.stderr
