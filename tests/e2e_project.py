"""A Pulumi project on disk for end-to-end tests of quotes, review, status and the examples.

The project directory has a ``Pulumi.yaml`` (Python runtime in this venv, a file backend in the
test's directory), so the same stack is reachable three ways: the automation API with an inline
program, the ``pulumi`` CLI, and ``outposts-orders status --cwd``. Its environment points every
AWS client (the dynamic provider, the ``outposts-orders`` command) at the given emulator.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from pulumi import automation as auto

from pulumi_outposts_orders._tokens import ORDER_TYPE
from pulumi_outposts_orders.emulator.outposts import seed
from pulumi_outposts_orders.emulator.testing import RunningEmulator, boto3_env

Program = Callable[[], None]


@dataclass
class Project:
    """A project directory, its environment, and helpers to drive it."""

    name: str
    work_dir: Path
    env: dict[str, str]

    def stack(self, program: Program | None = None, stack_name: str = "dev") -> auto.Stack:
        """The stack ``stack_name``, created on first use, running ``program`` (an inline program) or,
        without one, the project directory's own program through the language host."""
        opts = auto.LocalWorkspaceOptions(work_dir=str(self.work_dir), env_vars=self.env,
                                          pulumi_home=self.env["PULUMI_HOME"])
        if program is None:
            return auto.create_or_select_stack(stack_name, work_dir=str(self.work_dir), opts=opts)
        return auto.create_or_select_stack(stack_name, project_name=self.name, program=program, opts=opts)

    def run(self, *command: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        """Run ``command`` in the project directory with the project's environment."""
        return subprocess.run(list(command), cwd=self.work_dir, env=self.env, input=stdin,
                              capture_output=True, text=True, timeout=300)

    def outposts_orders(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        """The ``outposts-orders`` console script of this venv."""
        return self.run(str(Path(sys.executable).with_name("outposts-orders")), *args, stdin=stdin)


EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def new_project(root: Path, emulator: RunningEmulator, name: str = "orders-e2e", example: str | None = None) -> Project:
    """A fresh project under ``root`` whose AWS clients talk to ``emulator``.

    With ``example``, the project is a copy of ``examples/<example>`` (its program and files), run
    with this venv and a file backend under ``root``.
    """
    if shutil.which("pulumi") is None:
        pytest.skip("the Pulumi engine is not on PATH (run through `make test`)")
    work_dir, state, home = root / "project", root / "state", root / "home"
    if example is not None:
        shutil.copytree(EXAMPLES / example, work_dir, ignore=shutil.ignore_patterns("__pycache__"))
        name = next(line.split(":", 1)[1].strip() for line in (work_dir / "Pulumi.yaml").read_text().splitlines()
                    if line.startswith("name:"))
    for directory in (work_dir, state, home):
        directory.mkdir(parents=True, exist_ok=True)
    (work_dir / "Pulumi.yaml").write_text(
        f"name: {name}\n"
        f"runtime:\n  name: python\n  options:\n    virtualenv: {sys.prefix}\n"
        f"backend:\n  url: file://{state}\n"
    )
    env = {
        **boto3_env(emulator.endpoint),
        "PULUMI_HOME": str(home),
        # Wins over `make`'s exported backend (the demo stack's): each test keeps its own state.
        "PULUMI_BACKEND_URL": f"file://{state}",
        "PULUMI_CONFIG_PASSPHRASE": "test",
        # One machine per emulator: every stack that orders from it shares the attempt journal, as
        # stacks run from one CI runner do. A test of "another machine" points this elsewhere.
        "PULUMI_OUTPOSTS_ORDERS_JOURNAL": str(Path(emulator.db).parent / "journal"),
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        # The dynamic provider runs `python -m pulumi.dynamic` with the python found on PATH.
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
    }
    return Project(name, work_dir, env)


def resources(stack: auto.Stack, type_token: str) -> list[dict[str, Any]]:
    """The stack's resources of ``type_token`` (id, inputs, outputs) from its exported state."""
    deployment = stack.export_stack().deployment
    assert deployment is not None, "the stack exported no deployment"
    return [r for r in deployment.get("resources") or [] if r.get("type") == type_token]


def outposts_client(emulator: RunningEmulator) -> Any:
    """A plain boto3 Outposts client of ``emulator`` (a customer's own look, outside any stack)."""
    env = boto3_env(emulator.endpoint)
    return boto3.session.Session(
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"], aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"]
    ).client("outposts", region_name=seed.REGION, endpoint_url=emulator.endpoint)


def order_statuses(emulator: RunningEmulator) -> dict[str, str]:
    """Every Outposts order in the emulator → its status."""
    aws = outposts_client(emulator)
    ids = [o["OrderId"] for page in aws.get_paginator("list_orders").paginate() for o in page["Orders"]]
    return {order_id: aws.get_order(OrderId=order_id)["Order"]["Status"] for order_id in ids}


def live_orders(emulator: RunningEmulator) -> list[str]:
    """The emulator's orders that are not history (CANCELLED, ERROR, COMPLETED), sorted."""
    return sorted(order_id for order_id, status in order_statuses(emulator).items()
                  if status not in ("CANCELLED", "ERROR", "COMPLETED"))


def tracked_orders(stack: auto.Stack) -> list[str]:
    """The order IDs the stack's OutpostOrder resources track, sorted."""
    return sorted(r["id"] for r in resources(stack, ORDER_TYPE))


def order_urn(stack: auto.Stack, name: str) -> str:
    """The URN of the stack's OutpostOrder named ``name``."""
    urn: str = next(r["urn"] for r in resources(stack, ORDER_TYPE) if r["urn"].endswith(f"::{name}"))
    return urn


def table_cells(line: str) -> list[str]:
    """The cells of one Markdown table line (``| a | b |`` → ``["a", "b"]``)."""
    assert line.startswith("| ") and line.endswith(" |"), line
    return line[2:-2].split(" | ")


def process_tree(root: int) -> list[int]:
    """``root`` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            child, rest = stat.read_text().split(" ", 1)
            children.setdefault(int(rest.rsplit(")", 1)[1].split()[1]), []).append(int(child))
        except (OSError, ValueError, IndexError):
            continue
    tree: list[int] = []
    todo = [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def kill_up_while_creating(project: Project, emulator: RunningEmulator, operation: str = "CreateOrder") -> None:
    """``pulumi up`` of the project's program, SIGKILLed (its whole process tree) while the emulator holds
    its ``operation`` (CreateOrder, or placeOrder); returns once the emulator has committed what it held
    and its faults are cleared."""
    emulator.admin.set_faults({operation: {"latency_ms": 3000}})
    up = subprocess.Popen(["pulumi", "up", "--yes", "--non-interactive", "--skip-preview"], cwd=project.work_dir,
                          env=project.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while emulator.admin.calls().get(operation, 0) == 0:
        assert up.poll() is None and time.monotonic() < deadline, f"pulumi up never sent {operation}"
        time.sleep(0.05)
    for pid in process_tree(up.pid):  # pulumi, its language host, the program and the dynamic provider
        os.kill(pid, signal.SIGKILL)  # (the engine starts plugins in process groups of their own)
    up.wait()
    time.sleep(3.5)  # the emulator finishes the request it was holding and commits the order
    emulator.admin.clear_faults()
