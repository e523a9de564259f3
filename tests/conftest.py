"""Fixtures shared by every test directory: the local Outposts emulator (see its ``testing`` module)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pulumi_outposts_orders.emulator.testing import RunningEmulator


@pytest.fixture
def emulator() -> Iterator[RunningEmulator]:
    """A fresh, seeded emulator subprocess with its own database file, for one test."""
    with RunningEmulator() as running:
        yield running


@pytest.fixture
def emulator_endpoint(emulator: RunningEmulator) -> str:
    """The endpoint (``http://127.0.0.1:PORT``) of a fresh emulator."""
    return emulator.endpoint


@pytest.fixture(scope="session")
def session_emulator() -> Iterator[RunningEmulator]:
    """One emulator for the whole session: for tests that neither move its clock nor use seeded quotes."""
    with RunningEmulator() as running:
        yield running
