"""bench/run.py end to end with two orders: API calls per operation and the report's columns; the rate-limited
fleet's section (11 AmazonBusinessOrders) and `--only rate-limited`.

Facts only: timings are reported by `make bench`, never asserted.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

pytestmark = pytest.mark.e2e

RUN_PY = Path(__file__).resolve().parents[2] / "bench" / "run.py"


def load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_run", RUN_PY)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def test_api_calls_per_operation_and_report_columns() -> None:
    assert shutil.which("pulumi"), "run the tests through `make test`, which puts the engine on PATH"
    bench = load_bench()

    fleet = bench.run_fleet(2, latency_ms=1, cli_max=1, variants=False)

    calls = {op.name: op.calls for op in fleet.ops}
    create = calls["up (create)"]
    assert (create["CreateOrder"], create["ListOrders"]) == (2, 2)  # one look before each send
    assert set(create) <= {"CreateOrder", "ListOrders", "GetOrder"} and create.get("GetOrder", 0) <= 1
    assert all(op.sts_calls.get("GetCallerIdentity", 0) <= 1 for op in fleet.ops)  # one per provider process
    assert calls["preview (no change)"] == {}
    assert calls["up (no change)"] == {}
    assert calls["refresh"] == {"GetOrder": 2}
    assert all(op.provider_peak_kib > 0 for op in fleet.ops), "the dynamic provider process was not found"
    assert 0 < fleet.provider_bytes < 1024, "the provider is pickled by reference: a few hundred bytes at most"

    text = bench.report([fleet], bench.provider_overhead({0: 3}), latency_ms=1)
    for column in ("Outposts API calls", "provider peak RSS MiB", "floor NxL/4 s", "refresh / boto3",
                   "refresh / CLI", "state B per order", "`__provider` B per order", "read / bare"):
        assert f" {column} |" in text
    assert "| 2 | refresh |" in text and "| GetOrder=2 (STS: GetCallerIdentity=1) |" in text
    for target in ("zero Outposts API calls", "exactly N GetOrder calls",
                   "exactly one CreateOrder per order, at most one ListOrders"):
        assert any(line.startswith("- met:") and target in line for line in text.splitlines()), target


def test_rate_limited_fleet_section_replaces_its_own_in_the_results(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    assert shutil.which("pulumi"), "run the tests through `make test`, which puts the engine on PATH"
    bench = load_bench()
    for name in bench.CLEARED_VARIABLES:  # main() removes them from the environment: restored after the test
        monkeypatch.delenv(name, raising=False)
    out = tmp_path / "results.md"
    out.write_text("| N | refresh s |\n| 200 | 3.78 |\n\nRate-limited fleet: an older run\n\n| 30 | old |\n")

    assert bench.main(["--only", "rate-limited", "--ab-orders", "11", "--ab-speedup", "10", "--out", str(out)]) == 0

    text = out.read_text()
    assert text.startswith("| N | refresh s |\n| 200 | 3.78 |\n\nRate-limited fleet: N AmazonBusinessOrders")
    assert "an older run" not in text and "| 30 | old |" not in text
    header, _, *rows = text.splitlines()[-4:]
    columns = [cell.strip() for cell in header.strip("|").split("|")]
    assert columns == ["N", "PO numbers", "usage plan", "up s", "placement s", "floor s", "placement / floor",
                       "orders placed", "placeOrder calls", "429 (throttled)", "refresh s", "refresh calls"]
    each, shared = (dict(zip(columns, (cell.strip() for cell in row.strip("|").split("|")), strict=True))
                    for row in rows)
    for cells in (each, shared):
        assert (cells["N"], cells["usage plan"], cells["floor s"]) == ("11", "5 requests/s (x10), burst 10", "0.20")
        assert cells["orders placed"] == "11"
        assert int(cells["placeOrder calls"]) == 11 + int(cells["429 (throttled)"])  # each 429 is sent again
    # A refresh reads one order report per PO number: 11 with one each, 1 when they share one.
    assert "getOrderReportsByPurchaseOrderNumber=11" in each["refresh calls"]
    assert "getOrderReportsByPurchaseOrderNumber=1," in shared["refresh calls"]
