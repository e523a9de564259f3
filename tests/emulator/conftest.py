"""Clients of the emulator for its own tests: unmodified boto3 through the endpoint override."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config

from pulumi_outposts_orders.emulator.testing import RunningEmulator, boto3_env

ClientFactory = Callable[..., Any]
SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
NO_RETRIES = Config(retries={"mode": "standard", "total_max_attempts": 1})


def provisioned(pytestconfig: pytest.Config, script: str) -> Path:
    """Run ``scripts/<script>.py``'s ``ensure()`` (a client built or installed on first use, cached outside
    the clone), its progress lines shown even under output capture; the path it gives."""
    spec = importlib.util.spec_from_file_location(script, SCRIPTS / f"{script}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    capture = pytestconfig.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():
        path: Path = module.ensure(lambda line: print(f"\n{line}", flush=True))
    return path


def client_of(emulator: RunningEmulator, config: Config = NO_RETRIES, service: str = "outposts", **session: str) -> Any:
    """A boto3 client (Outposts by default) configured through the environment (AWS_ENDPOINT_URL_*)."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(boto3_env(emulator.endpoint, saved))
    try:
        return boto3.session.Session(**session).client(service, config=config)
    finally:
        os.environ.clear()
        os.environ.update(saved)


@pytest.fixture
def live(session_emulator: RunningEmulator) -> Iterator[RunningEmulator]:
    """The session's emulator with no faults and zeroed call counts."""
    session_emulator.admin.clear_faults()
    session_emulator.admin.reset_calls()
    yield session_emulator
    session_emulator.admin.clear_faults()


@pytest.fixture(scope="session")
def _session_client(session_emulator: RunningEmulator) -> Any:
    return client_of(session_emulator)


@pytest.fixture
def outposts(live: RunningEmulator, _session_client: Any) -> Any:
    """A boto3 Outposts client of the session's emulator (no retries, so errors show as they are)."""
    return _session_client


@pytest.fixture
def fresh(emulator: RunningEmulator) -> Any:
    """A boto3 Outposts client of a fresh emulator (its clock and seeded quotes are the test's own)."""
    return client_of(emulator)
