"""The ``outposts-orders emulator`` command, and the AWS CLI examples of the CreateOrder reference."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pulumi_outposts_orders.emulator import seed
from pulumi_outposts_orders.emulator.testing import RunningEmulator, boto3_env

from .conftest import client_of

AWS = str(Path(sys.executable).with_name("aws"))


def aws(emulator: RunningEmulator, *args: str, **env: str) -> dict[str, Any]:
    """Run the AWS CLI against the emulator (endpoints from AWS_ENDPOINT_URL_*, ``env`` on top); parse its JSON."""
    done = subprocess.run([AWS, *args, "--output", "json"], env={**boto3_env(emulator.endpoint), **env},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    parsed: dict[str, Any] = json.loads(done.stdout)
    return parsed


def test_reference_example_1_order_from_a_quote(emulator: RunningEmulator) -> None:
    result = aws(emulator, "outposts", "create-order", "--outpost-identifier", seed.RACK_OUTPOST_ID,
                 "--quote-identifier", seed.QUOTE_ID, "--quote-option-identifier", seed.QUOTE_OPTION_IDS[0],
                 "--payment-option", "ALL_UPFRONT", "--payment-term", "THREE_YEARS")["Order"]
    assert (result["OutpostId"], result["QuoteIdentifier"]) == (seed.RACK_OUTPOST_ID, seed.QUOTE_ID)
    assert result["QuoteOptionIdentifier"] == seed.QUOTE_OPTION_IDS[0]
    assert (result["Status"], result["OrderType"]) == ("PREPARING", "OUTPOST")
    assert [(i["Quantity"], i["Status"]) for i in result["LineItems"]] == [(1, "PREPARING")]
    assert (result["PaymentOption"], result["PaymentTerm"]) == ("ALL_UPFRONT", "THREE_YEARS")
    assert "OrderSubmissionDate" in result


def test_reference_example_2_order_with_line_items(emulator: RunningEmulator) -> None:
    result = aws(emulator, "outposts", "create-order", "--outpost-identifier", seed.RACK_OUTPOST_ID,
                 "--line-items", f"CatalogItemId={seed.RACK_CATALOG_ITEM_ID},Quantity=1",
                 "--payment-option", "ALL_UPFRONT", "--payment-term", "THREE_YEARS")["Order"]
    assert result["Status"] == "PREPARING"
    (item,) = result["LineItems"]
    assert (item["CatalogItemId"], item["Quantity"], item["Status"]) == (seed.RACK_CATALOG_ITEM_ID, 1, "PREPARING")
    got = aws(emulator, "outposts", "get-order", "--order-id", result["OrderId"])["Order"]
    assert got["OrderId"] == result["OrderId"]


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_the_command_prints_one_line_and_stops_cleanly(stop_signal: signal.Signals) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "pulumi_outposts_orders.cli", "emulator", "--port", "0", "--db", ":memory:",
         "--no-seed"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line.startswith("Outposts emulator listening on http://127.0.0.1:")
    assert int(line.rsplit(":", 1)[1]) > 0
    process.send_signal(stop_signal)
    out, _ = process.communicate(timeout=10)
    assert process.returncode == 0 and out == ""


def test_no_seed_starts_empty() -> None:
    with RunningEmulator(args=["--no-seed"]) as running:
        client = client_of(running)
        assert client.list_outposts()["Outposts"] == [] and client.list_catalog_items()["CatalogItems"] == []
