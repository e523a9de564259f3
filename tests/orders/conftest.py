"""A small harness for end-to-end tests of orders: inline programs through the real engine.

``stacks(emulator)`` returns a fresh stack (own project directory, file backend and PULUMI_HOME,
see ``tests/e2e_project.py``) whose dynamic provider talks to ``emulator``; each call takes the
program to run, so a test reads as a sequence of ``up``/``preview``/``refresh``/``destroy``.
``outposts_emulator`` is one emulator per test module: tests that share it reset its call counts
and never depend on each other's orders.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from e2e_project import Program, Project, new_project, resources
from pulumi import automation as auto

from pulumi_outposts_orders._tokens import ORDER_TYPE
from pulumi_outposts_orders.emulator.testing import RunningEmulator

STS_OPERATIONS = ("GetCallerIdentity", "AssumeRole")


@pytest.fixture(scope="module")
def outposts_emulator() -> Iterator[RunningEmulator]:
    """One seeded emulator for a test module."""
    with RunningEmulator() as running:
        yield running


@dataclass
class StackHarness:
    """One stack; every operation goes through the engine's ``pulumi`` CLI."""

    project: Project
    stack: auto.Stack
    emulator: RunningEmulator
    sts_calls: dict[str, int] = field(default_factory=dict)
    """STS calls counted by the last ``calls()``."""

    def up(self, program: Program) -> auto.UpResult:
        """``pulumi up`` of ``program``."""
        return self.stack.up(program=program)

    def preview(self, program: Program) -> auto.PreviewResult:
        """``pulumi preview`` of ``program``."""
        return self.stack.preview(program=program)

    def refresh(self, program: Program) -> auto.RefreshResult:
        """``pulumi refresh --run-program``: resource state *and* stack outputs are refreshed."""
        return self.stack.refresh(run_program=True, program=program)

    def destroy(self) -> auto.DestroyResult:
        """``pulumi destroy``."""
        return self.stack.destroy()

    def outputs(self) -> dict[str, Any]:
        """The stack outputs as plain values."""
        return {name: output.value for name, output in self.stack.outputs().items()}

    def orders(self) -> list[dict[str, Any]]:
        """The OutpostOrder resources in the stack's state (id, inputs, outputs)."""
        return resources(self.stack, ORDER_TYPE)

    def placed(self, n: int) -> None:
        """Assert the Outposts calls of an ``up`` that placed ``n`` line-item orders (and resets them):
        one look before sending (ListOrders) and one CreateOrder each, and GetOrder only for candidates,
        here the orders of the other creates of the same ``up`` still being answered."""
        calls = self.calls()
        assert (calls.pop("ListOrders", 0), calls.pop("CreateOrder", 0)) == (n, n), calls
        assert calls.pop("GetOrder", 0) <= n - 1 and not calls, calls

    def calls(self) -> dict[str, int]:
        """Outposts API calls since the last reset (operations with a non-zero count); resets them.

        STS calls (the account, assumed roles: once per provider process, not per order) are counted
        apart, in ``sts_calls``, so the Outposts counts read as the cost of each operation."""
        counts = {op: n for op, n in self.emulator.admin.calls().items() if n}
        self.emulator.admin.reset_calls()
        self.sts_calls = {op: counts.pop(op) for op in STS_OPERATIONS if op in counts}
        return counts


@pytest.fixture
def stacks(tmp_path: Path) -> Callable[..., StackHarness]:
    """A factory: ``stacks(emulator, config={"aws:region": ...})`` → a fresh :class:`StackHarness`."""
    count = iter(range(1000))

    def make(emulator: RunningEmulator, config: dict[str, str] | None = None) -> StackHarness:
        # Stacks of one module share its emulator and, like stacks run on one machine, its attempt
        # journal: each gets its own project name, so that their resources' placement keys differ.
        project = new_project(tmp_path / f"stack{next(count)}", emulator, name=f"orders-e2e-{uuid.uuid4().hex[:8]}")
        stack = project.stack(_nothing)
        for key, value in (config or {}).items():
            stack.set_config(key, auto.ConfigValue(value))
        emulator.admin.reset_calls()
        return StackHarness(project, stack, emulator)

    return make


def _nothing() -> None:
    pass
