"""Fixtures shared by every test directory: the local Outposts emulator (see its ``testing`` module)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from pulumi_outposts_orders.aws import clients as _clients
from pulumi_outposts_orders.emulator.testing import RunningEmulator, boto3_env


@pytest.fixture(autouse=True)
def own_journal(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Providers called in this process keep their attempt journal in a directory of the test's own, never
    in the user's Pulumi home (end-to-end tests give each project's environment its own as well)."""
    monkeypatch.setenv("PULUMI_OUTPOSTS_ORDERS_JOURNAL", str(tmp_path_factory.mktemp("journal")))


@pytest.fixture
def emulator() -> Iterator[RunningEmulator]:
    """A fresh, seeded emulator subprocess with its own database file, for one test."""
    with RunningEmulator() as running:
        yield running


@pytest.fixture
def aws(emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch) -> Iterator[RunningEmulator]:
    """``emulator``, with boto3's environment pointing every AWS client of this process at it."""
    for name, value in boto3_env(emulator.endpoint).items():
        monkeypatch.setenv(name, value)
    _clients.clear_clients()
    yield emulator
    _clients.clear_clients()


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """A real S3 server (moto in server mode) for the session's tests; each test module uses its own bucket."""
    from s3_server import s3_server

    with s3_server() as endpoint:
        yield endpoint


@pytest.fixture
def emulator_endpoint(emulator: RunningEmulator) -> str:
    """The endpoint (``http://127.0.0.1:PORT``) of a fresh emulator."""
    return emulator.endpoint


@pytest.fixture(scope="session")
def session_emulator() -> Iterator[RunningEmulator]:
    """One emulator for the whole session: for tests that neither move its clock nor use seeded quotes."""
    with RunningEmulator() as running:
        yield running


@pytest.fixture
def only_aws_region(monkeypatch: pytest.MonkeyPatch) -> None:
    """The AWS region comes from AWS_REGION=us-west-2 only (no other region variable, profile or config file)."""
    for name in ("AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_REGION", "us-west-2")
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
