"""The Amazon Business client as a new provider process would start: pointed at the emulator, with the
emulator's LWA credentials in the environment (as a CI secret store would put them) and nothing cached."""

from __future__ import annotations

import pytest

from pulumi_outposts_orders.amazon_business import client
from pulumi_outposts_orders.emulator.app import amazon_business_env


def new_provider_process(monkeypatch: pytest.MonkeyPatch, endpoint: str) -> None:
    """Point the client at the emulator at ``endpoint`` and forget its tokens, stack config and order reports."""
    for name, value in amazon_business_env(endpoint).items():
        monkeypatch.setenv(name, value)
    for cache in ("_TOKENS", "_CONFIG", "_REPORTS"):
        monkeypatch.setattr(client, cache, {})
