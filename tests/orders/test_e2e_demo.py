"""`make demo` (scripts/demo.py): the quickstart project through the engine, twice, placing one order."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def stack_name() -> Iterator[str]:
    """A stack of the top-level project used by this test only; its config file is removed after."""
    name = f"demo-test-{uuid.uuid4().hex[:8]}"
    yield name
    (REPO / f"Pulumi.{name}.yaml").unlink(missing_ok=True)


def test_demo_places_the_quickstart_order_once_and_tracks_it(tmp_path: Path, stack_name: str) -> None:
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        "PULUMI_HOME": str(tmp_path / "home"),
        "PULUMI_BACKEND_URL": f"file://{tmp_path / 'state'}",
        "PULUMI_CONFIG_PASSPHRASE": "test",
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
    }
    command = [sys.executable, str(REPO / "scripts" / "demo.py"), "--stack", stack_name,
               "--db", str(tmp_path / "emulator.db")]

    def demo() -> str:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    first = demo()
    # STS GetCallerIdentity: once per provider process (the account the order lives in), not per order.
    assert ("AWS API calls: up CreateOrder 1, GetCallerIdentity 1, ListOrders 1; "
            "refresh GetCallerIdentity 1, GetOrder 1") in first
    assert "IN_PROGRESS" in first and "SHIPPED" in first  # 7 simulated days later

    second = demo()  # same database, same stack: nothing new is placed
    assert "AWS API calls: up none; refresh GetCallerIdentity 1, GetOrder 1" in second
    assert "DELIVERED" in second
