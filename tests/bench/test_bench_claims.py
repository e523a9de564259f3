"""bench/claim_store.py end to end with two creates per row: S3 requests only with the shared store, the same Outposts
calls with either store, and its section written into the results between the others.

Facts only: timings are reported by `make bench`, never asserted.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

pytestmark = pytest.mark.e2e

CLAIM_STORE_PY = Path(__file__).resolve().parents[2] / "bench" / "claim_store.py"
EARLIER = ("| N | refresh s |\n| 200 | 3.78 |\n\n<!-- engine pairs -->\nEngine pairs, side by side: older\n"
           "<!-- /engine pairs -->\n\nRate-limited fleet: an older run\n\n| 30 | old |\n")


def load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_claim_store", CLAIM_STORE_PY)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def rows_of(text: str) -> dict[str, dict[str, str]]:
    """The claim-store table: each row's cells by column, by its first cell."""
    lines = [line for line in text.split("<!-- claim store -->", 1)[1].split("<!-- /claim store -->", 1)[0]
             .splitlines() if line.startswith("|")]
    header, _, *rows = ([cell.strip() for cell in line.strip("|").split("|")] for line in lines)
    return {row[0]: dict(zip(header, row, strict=True)) for row in rows}


def test_s3_requests_only_with_the_shared_store_and_the_same_outposts_calls(tmp_path: Path) -> None:
    bench = load_bench()
    out = tmp_path / "results.md"
    out.write_text(EARLIER)

    assert bench.main(["--creates", "2", "--latency-ms", "0", "--s3-latency-ms", "1", "--out", str(out)]) == 0

    text = out.read_text()
    rows = rows_of(text)
    assert list(rows) == ["local journal", "S3 claim store (LAN)", "S3 claim store (+1 ms per request)"]
    local, lan, slow = rows.values()
    assert all(row["creates"] == "2" for row in rows.values())
    assert local["S3 requests per create"] == "0" and local["S3 requests per create, by operation"] == "0"
    for row in (lan, slow):
        assert float(row["S3 requests per create"]) > 0
        by_operation = dict(cell.split("=") for cell in row["S3 requests per create, by operation"].split(", "))
        assert set(by_operation) <= {"PutObject", "GetObject", "ListObjectsV2", "DeleteObject"}
        assert float(by_operation["PutObject"]) > 0 and float(by_operation["GetObject"]) > 0
        assert sum(map(float, by_operation.values())) == pytest.approx(float(row["S3 requests per create"]), abs=0.3)
    assert lan["S3 requests per create, by operation"] == slow["S3 requests per create, by operation"]
    # The store changes no AWS cost: one look and one send per create, whichever store holds the claims.
    assert local["Outposts calls per create"] == lan["Outposts calls per create"] == slow["Outposts calls per create"]
    assert local["Outposts calls per create"] == "CreateOrder=1, ListOrders=1"

    assert text.startswith(EARLIER.split("Rate-limited fleet:")[0].rstrip() + "\n\n<!-- claim store -->\n"
                           "## Claim store cost per create\n")
    assert text.endswith("<!-- /claim store -->\n\nRate-limited fleet: an older run\n\n| 30 | old |\n")
    assert "What dominates:" in text

    out.write_text(text.replace("<!-- /claim store -->", "| stale | row |\n<!-- /claim store -->"))
    assert bench.main(["--creates", "1", "--latency-ms", "0", "--s3-latency-ms", "0", "--out", str(out)]) == 0
    again = out.read_text()
    assert "| stale | row |" not in again and again.count("## Claim store cost per create") == 1
    assert list(rows_of(again)) == ["local journal", "S3 claim store (LAN)"]
    assert again.startswith(EARLIER.split("Rate-limited fleet:")[0].rstrip() + "\n\n<!-- claim store -->\n")
    assert again.endswith("<!-- /claim store -->\n\nRate-limited fleet: an older run\n\n| 30 | old |\n")
