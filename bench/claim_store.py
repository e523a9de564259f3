"""Benchmark: what the shared claim store costs per create, next to this machine's local attempt journal.

N creates through the placement layer (``outposts.placement.place``, no engine), each a distinct resource key
placing an identical line-item order on one Outpost of the local emulator (injected latency L per Outposts
call), after one unmeasured warm-up create (client set-up). Each row has its own fresh emulator, so every row's
ListOrders sees the same orders:

- ``local journal``: ``claims.journal.Journal`` in a temporary directory;
- ``S3 claim store (LAN)``: ``claims.shared.SharedJournal`` over ``S3Claims`` on a moto S3 server in this process
  (server mode, one request at a time, conditional writes answered as AWS S3 answers them);
- ``S3 claim store (+X ms per request)``: the same, with ``--s3-latency-ms`` slept before every S3 HTTP request
  (a ``before-send`` hook), to approximate a real S3 round trip.

Per create: wall time (mean, p95 by nearest rank), S3 requests by operation (botocore ``before-call`` hooks on the
store's client), Outposts calls by operation (the emulator's counters). The table replaces the "Claim store cost
per create" section of ``bench/results.md`` (between its markers), or is put before the rate-limited section
(which ``bench/run.py --only rate-limited`` keeps last). ``make bench`` runs it after ``bench/run.py``. Timings
are reported, never asserted.
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pulumi_outposts_orders.aws import clients as _clients
from pulumi_outposts_orders.aws import settings as _aws
from pulumi_outposts_orders.claims.journal import Journal, scope_of
from pulumi_outposts_orders.claims.s3 import Location, S3Claims
from pulumi_outposts_orders.claims.shared import SharedJournal
from pulumi_outposts_orders.emulator.accounts import ACCOUNT_ID
from pulumi_outposts_orders.emulator.outposts import seed
from pulumi_outposts_orders.emulator.testing import RunningEmulator, boto3_env
from pulumi_outposts_orders.outposts.placement import RECENT_WINDOW_HOURS, place

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1] / "tests")]
from run import patched_environ  # noqa: E402  (bench/run.py: the environment of one run)
from s3_server import s3_client, s3_server  # noqa: E402  (the tests' moto server, one request at a time)

TARGET = _aws.Target(region="us-east-1", profile=None)
ORDER: dict[str, Any] = {
    "OutpostIdentifier": seed.RACK_OUTPOST_ID,
    "LineItems": [{"CatalogItemId": seed.RACK_CATALOG_ITEM_ID, "Quantity": 1}],
    "PaymentOption": "ALL_UPFRONT",
    "PaymentTerm": "THREE_YEARS",
}
BUCKET, PREFIX = "outposts-claims-{}", "bench"
"""A bucket per row: moto keeps its buckets in this process, whichever of its servers wrote them."""
S3_OPERATIONS = ("PutObject", "GetObject", "ListObjectsV2", "DeleteObject")
"""The store's requests, in the table's order (any other operation is listed after them)."""
_BUCKETS = itertools.count(1)
HEADING = "## Claim store cost per create"
START, END = "<!-- claim store -->", "<!-- /claim store -->"
RATE_LIMITED_HEADING = "Rate-limited fleet:"  # bench/run.py's last section


# --- measurements --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Run:
    """N creates with one claim store: per create, seconds, S3 requests and Outposts calls by operation."""

    label: str
    shared: bool
    s3_latency_ms: int
    seconds: list[float]
    s3: list[dict[str, int]]
    s3_sends: list[int]
    """S3 HTTP requests per create (``before-send``): more than the API calls only if botocore retried."""
    outposts: list[dict[str, int]]

    @property
    def creates(self) -> int:
        return len(self.seconds)

    @property
    def mean_ms(self) -> float:
        return 1000 * statistics.fmean(self.seconds)

    @property
    def p95_ms(self) -> float:
        """Nearest rank: the smallest time that at least 95% of the creates took no longer than."""
        ordered = sorted(self.seconds)
        return 1000 * ordered[math.ceil(0.95 * len(ordered)) - 1]

    def s3_total(self, i: int) -> int:
        return sum(self.s3[i].values())

    def s3_per_create(self) -> dict[str, float]:
        return _per_create(self.s3)

    def outposts_per_create(self) -> dict[str, float]:
        return _per_create(self.outposts)


def _per_create(counts: list[dict[str, int]]) -> dict[str, float]:
    total: Counter[str] = Counter()
    for count in counts:
        total.update(count)
    return {name: n / len(counts) for name, n in total.items()}


class S3Requests:
    """Counts the requests of one S3 client by operation (``before-call``), and its HTTP sends (``before-send``),
    sleeping ``latency_ms`` before each send."""

    def __init__(self, client: Any, latency_ms: int = 0) -> None:
        self._calls: Counter[str] = Counter()
        self._sends = 0
        self._latency_s = latency_ms / 1000
        self._lock = threading.Lock()
        client.meta.events.register("before-call.s3", self._call)
        client.meta.events.register("before-send.s3", self._send)

    def _call(self, model: Any, **_: Any) -> None:  # returning None lets the call go on
        with self._lock:
            self._calls[str(model.name)] += 1

    def _send(self, **_: Any) -> None:  # returning None sends the request
        with self._lock:
            self._sends += 1
        if self._latency_s:
            time.sleep(self._latency_s)

    def take(self) -> tuple[dict[str, int], int]:
        """The requests by operation and the HTTP sends since the last ``take``; the counters restart."""
        with self._lock:
            calls, sends = dict(self._calls), self._sends
            self._calls.clear()
            self._sends = 0
        return calls, sends


def run_creates(label: str, n: int, latency_ms: int, shared: bool, s3_latency_ms: int = 0) -> Run:
    """A fresh emulator (and S3 server and bucket, when ``shared``): one warm-up create, then ``n`` measured
    creates. Records are scoped to the emulator's endpoint, as the provider scopes them."""
    with ExitStack() as stack:
        emulator = stack.enter_context(RunningEmulator())
        scope = scope_of(emulator.endpoint, TARGET.region, ACCOUNT_ID)
        stack.enter_context(patched_environ(boto3_env(emulator.endpoint)))
        _clients.clear_clients()
        stack.callback(_clients.clear_clients)
        requests = None
        journal: Journal
        if shared:
            client = s3_client(stack.enter_context(s3_server()))
            bucket = BUCKET.format(next(_BUCKETS))
            client.create_bucket(Bucket=bucket)
            requests = S3Requests(client, s3_latency_ms)
            journal = SharedJournal(S3Claims(Location(bucket, PREFIX), client), scope)
        else:
            journal = Journal(Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="claims-bench-"))), scope)
        admin = emulator.admin
        if latency_ms:
            admin.set_faults({"*": {"latency_ms": latency_ms}})
        place(TARGET, ORDER, "bench/warm-up", journal=journal)
        seconds, s3, sends, outposts = [], [], [], []
        for i in range(n):
            admin.reset_calls()
            if requests is not None:
                requests.take()
            start = time.perf_counter()
            place(TARGET, ORDER, f"bench/order-{i:03d}", journal=journal)
            seconds.append(time.perf_counter() - start)
            outposts.append(admin.calls())
            calls, sent = requests.take() if requests is not None else ({}, 0)
            s3.append(calls)
            sends.append(sent)
        return Run(label, shared, s3_latency_ms, seconds, s3, sends, outposts)


def measure(n: int, latency_ms: int, s3_latency_ms: int) -> list[Run]:
    """The local journal, the S3 store on the LAN, and (``s3_latency_ms`` > 0) the S3 store with that latency."""
    variants = [("local journal", False, 0), ("S3 claim store (LAN)", True, 0)]
    if s3_latency_ms:
        variants.append((f"S3 claim store (+{s3_latency_ms} ms per request)", True, s3_latency_ms))
    runs = []
    for label, shared, s3_latency in variants:
        print(f"{label}: {n} creates ...", file=sys.stderr, flush=True)
        runs.append(run_creates(label, n, latency_ms, shared, s3_latency))
    return runs


# --- report --------------------------------------------------------------------------------------
def table(header: list[str], rows: list[list[str]], align: str) -> list[str]:
    """Markdown table lines after an empty line; ``align`` has an ``l`` or ``r`` per column (bench/run.py's)."""
    rule = ["---:" if a == "r" else "---" for a in align]
    return ["", *("| " + " | ".join(cells) + " |" for cells in (header, rule, *rows))]


def number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def per_create_text(counts: Mapping[str, float], order: tuple[str, ...] = ()) -> str:
    names = [name for name in order if name in counts] + sorted(set(counts) - set(order))
    return ", ".join(f"{name}={number(counts[name])}" for name in names) or "0"


def section(runs: list[Run], latency_ms: int) -> str:
    """The section: its heading, what was measured, the table and what dominates."""
    local = runs[0]
    lines = [HEADING, "",
             f"{local.creates} creates per row through `outposts.placement.place` (no engine), each a distinct "
             "resource placing an identical line-item order on one Outpost, after one unmeasured warm-up create; a "
             f"fresh emulator per row, Outposts latency L = {latency_ms} ms per call; {os.cpu_count()} CPUs. S3: moto "
             "in server mode on 127.0.0.1 (one request at a time, in this process), requests counted by operation "
             "with botocore `before-call` hooks on the store's client"
             + "".join(f"; the +{run.s3_latency_ms} ms row sleeps {run.s3_latency_ms} ms before each S3 HTTP request"
                       for run in runs if run.s3_latency_ms)
             + ". p95: nearest rank. `bench/claim_store.py`, one run."]
    rows = []
    for run in runs:
        rows.append([
            run.label, str(run.creates), f"{run.mean_ms:.1f}", f"{run.p95_ms:.1f}",
            number(sum(run.s3_per_create().values())), per_create_text(run.s3_per_create(), S3_OPERATIONS),
            f"{run.s3_total(0)} → {run.s3_total(-1)}" if run.shared else "0",
            per_create_text(run.outposts_per_create()), f"{run.mean_ms / local.mean_ms:.2f}x",
        ])
    lines += table(["claim store", "creates", "mean ms", "p95 ms", "S3 requests per create",
                    "S3 requests per create, by operation", "S3 requests: first → last create",
                    "Outposts calls per create", "mean / local"], rows, align="lrrrrlrlr")
    lines += ["", dominates(runs, latency_ms)]
    retried = [run.label for run in runs if sum(run.s3_sends) != sum(map(sum, (r.values() for r in run.s3)))]
    if retried:
        lines += ["", f"botocore retried S3 requests in: {', '.join(retried)} (HTTP sends > API calls)."]
    return "\n".join(lines) + "\n"


def dominates(runs: list[Run], latency_ms: int) -> str:
    """One line: what the time of a create is made of, and which S3 requests dominate the store's part."""
    local = runs[0]
    outposts_calls = sum(local.outposts_per_create().values())
    text = (f"What dominates: the local journal's create is its {number(outposts_calls)} Outposts calls "
            f"({per_create_text(local.outposts_per_create())}: {number(outposts_calls * latency_ms)} ms of injected "
            f"latency of its {local.mean_ms:.0f} ms).")
    shared = [run for run in runs if run.shared]
    if not shared:
        return text
    lan = shared[0]
    by_op = lan.s3_per_create()
    total = sum(by_op.values())
    top = max(by_op, key=lambda name: by_op[name])
    growth = (lan.s3_total(-1) - lan.s3_total(0)) / (lan.creates - 1) if lan.creates > 1 else 0.0
    text += (f" The S3 store adds {lan.mean_ms - local.mean_ms:.0f} ms per create on the LAN for {number(total)} "
             f"requests, {top} the most ({number(by_op[top])}, {by_op[top] / total:.0%}).")
    if growth > 0:
        text += (f" Requests per create grow by {number(growth)} with each order already held (the look before "
                 f"sending reads the holder of every live order the Outpost lists from the last "
                 f"{RECENT_WINDOW_HOURS:g} hours: its `orders/` claim, one GetObject), "
                 "so they are linear in the Outpost's recent live orders.")
    elif lan.creates > 1:
        text += " Requests per create do not grow with the orders already held."
    for run in shared[1:]:
        requests = sum(run.s3_per_create().values())
        text += (f" At +{run.s3_latency_ms} ms per request the store adds {run.mean_ms - local.mean_ms:.0f} ms per "
                 f"create: its {number(requests)} requests x {run.s3_latency_ms} ms = "
                 f"{requests * run.s3_latency_ms:.0f} ms, plus the LAN row's {lan.mean_ms - local.mean_ms:.0f} ms; "
                 "the S3 round trips, one after another, dominate.")
    return text


def with_section(existing: str, text: str) -> str:
    """``existing`` with its claim-store section (between markers) replaced by ``text``, or ``text`` put before
    the rate-limited section (which ``bench/run.py --only rate-limited`` keeps last), or appended."""
    block = f"{START}\n{text}{END}\n"
    if START in existing and END in existing:
        before, rest = existing.split(START, 1)
        after = rest.split(END, 1)[1].lstrip("\n")
        return before + block + (f"\n{after}" if after else "")
    before, marker, after = existing.partition(RATE_LIMITED_HEADING)
    if marker:
        return f"{before.rstrip()}\n\n{block}\n{marker}{after}" if before.strip() else f"{block}\n{marker}{after}"
    return f"{existing.rstrip()}\n\n{block}" if existing.strip() else block


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--creates", type=int, default=20, help="measured creates per row (default: %(default)s)")
    parser.add_argument("--quick", action="store_true", help="3 creates per row (CI smoke)")
    parser.add_argument("--latency-ms", type=int, default=50,
                        help="injected latency per Outposts call, every row (default: %(default)s)")
    parser.add_argument("--s3-latency-ms", type=int, default=20,
                        help="latency slept before each S3 request in the third row; 0: no such row "
                             "(default: %(default)s)")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("results.md"))
    args = parser.parse_args(argv)
    n = 3 if args.quick else args.creates
    if n < 1:
        parser.error("--creates must be at least 1")
    text = section(measure(n, args.latency_ms, args.s3_latency_ms), args.latency_ms)
    print(text)
    args.out.write_text(with_section(args.out.read_text() if args.out.exists() else "", text))
    return 0


if __name__ == "__main__":
    sys.exit(main())
