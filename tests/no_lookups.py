"""Review look-ups that fail the test: Amazon Business rows need none."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_outposts_orders.aws.settings import StackAwsConfig
from pulumi_outposts_orders.outposts.lookups import Lookups


class NoLookups(Lookups):
    """Look-ups that fail the test when the review asks for a quote, a catalog item or the account."""

    def __init__(self) -> None:
        super().__init__(StackAwsConfig())

    def __getattribute__(self, name: str) -> Any:
        if name in ("quote", "catalog_item", "account"):
            pytest.fail(f"the review looked up {name} for an Amazon Business order")
        return super().__getattribute__(name)
